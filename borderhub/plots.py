"""Plots of scenario results with matplotlib: cost against p, rank stability, static map.

Every function draws on the ``ax`` it is given or on a new figure, and returns the
:class:`matplotlib.axes.Axes` (its ``.figure`` saves with ``savefig``). New figures are made
with :class:`matplotlib.figure.Figure` directly, not through :mod:`matplotlib.pyplot`, so no
global figure state is created and no interactive backend is needed (they render with Agg);
in a notebook, display them with ``ax.figure`` as the last expression of a cell.

Examples
--------
>>> import pandas as pd
>>> from borderhub.plots import plot_cost_curve
>>> table = pd.DataFrame({"p": [1, 2, 3, 4, 5], "objective": [100.0, 40.0, 20.0, 15.0, 12.0]})
>>> ax = plot_cost_curve(table)
>>> ax.get_xlabel(), len(ax.lines) >= 1
('number of centres p', True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError

__all__ = [
    "plot_cost_curve",
    "plot_rank_stability",
    "plot_static_map",
    "plot_selection_frequency",
    "plot_regret",
    "plot_robustness",
]


def _new_axes(ax: Any, figsize: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def _cjk_family() -> str | None:
    """A font family with Chinese glyphs, if one is installed (for place names)."""
    from borderhub._fonts import cjk_family

    return cjk_family()


def _has_cjk(texts: Any) -> bool:
    return any(any("\u3400" <= ch <= "\u9fff" for ch in str(t)) for t in texts)


def _require(frame: Any, columns: tuple[str, ...], what: str) -> None:
    """``frame`` is a DataFrame with ``columns``, each holding numbers (NaN allowed)."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{what} must be a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{what} lacks columns {missing}; it has {list(frame.columns)}")
    for column in columns:
        values = frame[column]
        wrong = pd.to_numeric(values, errors="coerce").isna() & values.notna()
        if wrong.any():
            raise DataError(
                f"{what}: column {column!r} must hold numbers; not numeric for "
                f"{values.index[wrong].tolist()[:10]}: {values[wrong].tolist()[:5]}; convert "
                "or drop those rows"
            )


def plot_cost_curve(
    table: pd.DataFrame,
    x: str = "p",
    y: str = "objective",
    ax: Any = None,
    mark: Any = None,
    elbow: bool = True,
    label: str | None = None,
    ylabel: str | None = None,
) -> Any:
    """Cost against the number of centres, with the elbow and the chosen p marked.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per scenario, e.g. :func:`borderhub.scenarios.p_sweep`; rows whose ``status``
        (if present) is not ``optimal`` or ``feasible`` are left out, ``feasible`` ones
        (optimality not proven) are drawn hollow.
    x, y : str
        Columns of the number of centres and the cost.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure.
    mark : scalar, optional
        An ``x`` value to highlight (e.g. the p of the plan being reported).
    elbow : bool, default True
        Mark the knee found by :func:`borderhub.scenarios.elbow`.
    label : str, optional
        Legend label of the curve (draw several curves on one ``ax`` to compare models).
    ylabel : str, optional
        Label of the y axis; default ``y``.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    DataError
        ``table`` lacks ``x`` or ``y``, or has no solved row.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.plots import plot_cost_curve
    >>> table = pd.DataFrame({"p": [1, 2, 3, 4], "objective": [90.0, 30.0, 20.0, 16.0],
    ...                       "status": ["optimal"] * 4})
    >>> ax = plot_cost_curve(table, mark=3, label="p-median")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['p-median', 'elbow p = 2', 'chosen p = 3']
    """
    from borderhub._curves import elbow as find_elbow

    _require(table, (x, y), "table")
    data = table
    if "status" in data.columns:
        data = data[data["status"].astype(str).isin(["optimal", "feasible"])]
    data = data.dropna(subset=[y]).sort_values(x, kind="stable")
    if data.empty:
        raise DataError(f"table has no solved rows with a value in {y!r} to plot")
    ax = _new_axes(ax, (6.4, 4.2))
    xs = data[x].to_numpy()
    ys = data[y].to_numpy(dtype=float)
    (line,) = ax.plot(xs, ys, "-", lw=1.5, label=label or y)
    proven = (
        data["status"].astype(str).eq("optimal").to_numpy()
        if "status" in data.columns
        else np.ones(len(data), dtype=bool)
    )
    colour = line.get_color()
    ax.plot(xs[proven], ys[proven], "o", ms=4, color=colour)
    if (~proven).any():
        ax.plot(xs[~proven], ys[~proven], "o", ms=5, mfc="none", color=colour, label="not proven")
    if elbow:
        knee = find_elbow(data, x, y)
        if knee is not None:
            at = float(data.loc[data[x] == knee, y].iloc[0])
            ax.plot([knee], [at], "D", ms=9, mfc="none", mew=1.8, color="#d62728")
            ax.plot([], [], "D", mfc="none", mew=1.8, color="#d62728", label=f"elbow {x} = {knee}")
    if mark is not None and (data[x] == mark).any():
        at = float(data.loc[data[x] == mark, y].iloc[0])
        ax.axvline(mark, color="#555", lw=0.8, ls="--", zorder=0)
        ax.plot([mark], [at], "*", ms=13, color="#ff7f0e", label=f"chosen {x} = {mark}")
    from matplotlib.ticker import MaxNLocator

    from borderhub._fonts import font_families

    # every label may hold Chinese (a weight column named 快递量, a model label): one font
    family = font_families()
    text = {"family": family} if family else {}
    ax.set_xlabel("number of centres p" if x == "p" else x, **text)
    ax.set_ylabel(ylabel or y, **text)
    if np.issubdtype(np.asarray(xs).dtype, np.integer) or x == "p":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, lw=0.3, color="#ccc")
    ax.legend(fontsize=8, prop={"family": family, "size": 8} if family else None)
    return ax


def plot_rank_stability(
    stability: pd.DataFrame,
    names: Mapping[Any, str] | pd.Series | None = None,
    top: int = 20,
    ax: Any = None,
) -> Any:
    """Rank intervals of the best candidates under perturbed weights.

    One row per candidate, best first: a bar over the rank interval (``rank_lo`` to
    ``rank_hi``), a thin line from the best to the worst rank seen, a dot at the mean rank
    and a cross at the rank with the base weights; the share of draws in the top *k* is
    written on the right.

    Parameters
    ----------
    stability : pandas.DataFrame
        Output of :func:`borderhub.rank_stability` (columns ``rank``, ``mean_rank``,
        ``rank_lo``, ``rank_hi``, ``best_rank``, ``worst_rank``, ``p_top_k``).
    names : mapping or Series, optional
        Display name per label (e.g. ``candidates["name"]``); default the labels. Chinese
        names need a CJK font; without one the labels are shown.
    top : int, default 20
        Number of candidates shown (by base rank).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub import rank_stability
    >>> from borderhub.plots import plot_rank_stability
    >>> cities = pd.DataFrame({"volume": [50.0, 20.0, 5.0], "km": [300.0, 100.0, 50.0]},
    ...                       index=["A", "B", "C"])
    >>> st = rank_stability(cities, {"volume": "benefit", "km": "cost"}, n=200, top_k=1)
    >>> ax = plot_rank_stability(st)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['B', 'A', 'C']
    """
    columns = ("rank", "mean_rank", "rank_lo", "rank_hi", "best_rank", "worst_rank", "p_top_k")
    _require(stability, columns, "stability")
    if len(stability) == 0:
        raise DataError("stability is empty; pass the table of borderhub.rank_stability")
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise SpecificationError(f"top must be a positive whole number, got {top!r}")
    if names is not None and not isinstance(names, Mapping | pd.Series):
        raise SpecificationError(
            f"names must be a mapping or Series label -> name, got {type(names).__name__}; "
            "e.g. candidates['name']"
        )
    data = stability.sort_values(["rank", "mean_rank"], kind="stable").head(int(top))
    labels = [str(k) for k in data.index]
    if names is not None:
        lookup = names if isinstance(names, pd.Series) else pd.Series(dict(names))
        labels = [str(lookup.get(k, k)) for k in data.index]
    from borderhub._fonts import font_families

    family = _cjk_family()
    if _has_cjk(labels) and family is None:
        labels = [str(k) for k in data.index]
    ax = _new_axes(ax, (6.4, 0.28 * len(data) + 1.4))
    pos = np.arange(len(data))
    ax.hlines(pos, data["best_rank"], data["worst_rank"], color="#bbb", lw=1, zorder=1)
    ax.hlines(pos, data["rank_lo"], data["rank_hi"], color="#4c72b0", lw=5, alpha=0.6, zorder=2)
    ax.plot(data["mean_rank"], pos, "o", color="#1f3a68", ms=4, zorder=3, label="mean rank")
    ax.plot(data["rank"], pos, "x", color="#d62728", ms=6, zorder=4, label="base rank")
    k = stability.attrs.get("top_k")
    for y, share in zip(pos, data["p_top_k"], strict=True):
        ax.annotate(
            f"{100 * share:.0f}%",
            (1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    ax.set_yticks(pos)
    ax.set_yticklabels(labels, fontsize=8, family=font_families())
    ax.invert_yaxis()
    ax.set_xlabel("rank (1 = best)")
    interval = "rank interval" + (
        f" ({stability.attrs['n']} weight draws)" if "n" in stability.attrs else ""
    )
    ax.plot([], [], "-", color="#4c72b0", lw=5, alpha=0.6, label=interval)
    ax.set_title(
        "rank stability" + (f"; right: share of draws in the top {k}" if k else ""), fontsize=9
    )
    ax.grid(True, axis="x", lw=0.3, color="#ccc")
    ax.legend(fontsize=7, loc="lower right")
    return ax


def plot_static_map(*args: Any, **kwargs: Any) -> Any:
    """The static corridor map (delegates to :func:`borderhub.maps.static_map`).

    Parameters
    ----------
    *args, **kwargs
        As :func:`borderhub.maps.static_map` (``candidates``, ``solution``, ``partners``,
        ``corridors``, ``scores``, ``title``, ``lang``, ``demand``, ``ax``, ``figsize``,
        ``extent``, ``projection``, ``choropleth``, ``labels`` ...).

    Returns
    -------
    matplotlib.axes.Axes
        The map's axes (``.figure`` is the figure).

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from borderhub.plots import plot_static_map
    >>> cand = gpd.GeoDataFrame({"name": ["Beijing", "Kunming"]}, index=["110000", "530100"],
    ...     geometry=gpd.points_from_xy([116.41, 102.83], [39.90, 24.88]), crs="EPSG:4326")
    >>> hubs = gpd.GeoDataFrame({"city": ["Singapore"]}, index=["SGP-SIN"],
    ...     geometry=gpd.points_from_xy([103.82], [1.35]), crs="EPSG:4326")
    >>> lanes = pd.DataFrame({"name": ["ASEAN"], "mode": ["sea"], "origin": ["530100"],
    ...                       "partners": ["SGP-SIN"]}, index=["c1"])
    >>> ax = plot_static_map(cand, partners=hubs, corridors=lanes, lang="en")
    >>> len(ax.child_axes)  # the South China Sea inset
    1
    """
    from borderhub.maps import static_map

    if kwargs.get("ax") is None:
        # a figure outside pyplot: no global figure state, renders with Agg
        kwargs["ax"] = _new_axes(None, kwargs.pop("figsize", (11.0, 7.5)))
    ax = kwargs["ax"]
    static_map(*args, **kwargs)
    return ax


# tier colours of the selection-frequency plot (first tier listed in ``tiers`` wins)
_TIER_COLOURS = {
    "CORE": "#d62728",
    "LONG_TERM": "#9467bd",
    "PROVINCIAL": "#1f77b4",
    "ENCOURAGED": "#2ca02c",
    "RAIL": "#ff7f0e",
    "PORT": "#17becf",
}


def _robustness_parts(result: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    selection = getattr(result, "selection", None)
    draws = getattr(result, "draws", None)
    if not isinstance(selection, pd.DataFrame) or not isinstance(draws, pd.DataFrame):
        raise DataError(
            f"result must be the RobustnessResult of borderhub.robustness, got "
            f"{type(result).__name__}"
        )
    _require(selection, ("frequency",), "result.selection")
    _require(draws, ("regret", "relative_regret"), "result.draws")
    return selection, draws


def plot_selection_frequency(
    result: Any,
    names: Mapping[Any, str] | pd.Series | str | None = "plan_name",
    threshold: float = 0.9,
    top: int | None = None,
    ax: Any = None,
) -> Any:
    """Share of plausible-demand draws in which each candidate is chosen, tiers marked.

    One bar per candidate chosen in at least one draw or in the nominal plan, most often
    chosen first, coloured by the candidate's first tier of 专栏4 (when the selection table
    has a ``tiers`` column); a dashed line marks ``threshold``, a black dot the nominal
    plan's centres and a hollow square the required ones.

    Parameters
    ----------
    result : RobustnessResult
        Output of :func:`borderhub.robustness`.
    names : str, mapping or Series, optional
        Column of ``result.selection`` (default ``"plan_name"``) or a mapping label ->
        display name; labels are shown when it is missing or when Chinese names have no
        CJK font.
    threshold : float, default 0.9
        Where the dashed line is drawn.
    top : int, optional
        Show only the ``top`` most often chosen.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub import robustness
    >>> from borderhub.plots import plot_selection_frequency
    >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
    ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
    >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
    ...                  spread=0.1, progress=False)
    >>> ax = plot_selection_frequency(res)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['a']
    """
    selection, _ = _robustness_parts(result)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not (0 < threshold <= 1)
    ):
        raise SpecificationError(f"threshold must be a number in (0, 1], got {threshold!r}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise SpecificationError(f"top must be a positive whole number or None, got {top!r}")
    nominal = selection["nominal"] if "nominal" in selection else False
    data = selection[(selection["frequency"] > 0) | nominal]
    if top is not None:
        data = data.head(int(top))
    labels = [str(k) for k in data.index]
    if isinstance(names, str):
        if names in data.columns:
            labels = [str(v) if pd.notna(v) else str(k) for k, v in data[names].items()]
    elif isinstance(names, Mapping | pd.Series):
        lookup = names if isinstance(names, pd.Series) else pd.Series(dict(names))
        labels = [str(lookup.get(k, k)) for k in data.index]
    elif names is not None:
        raise SpecificationError(
            f"names must be a column name, a mapping or a Series, got {type(names).__name__}"
        )
    family = _cjk_family()
    if _has_cjk(labels) and family is None:
        labels = [str(k) for k in data.index]
    ax = _new_axes(ax, (6.4, 0.22 * len(data) + 1.4))
    pos = np.arange(len(data))
    if "tiers" in data.columns:
        first = data["tiers"].fillna("").astype(str).str.split(";").str[0]
    else:
        first = pd.Series("", index=data.index)
    colours = [_TIER_COLOURS.get(t, "#7f7f7f") for t in first]
    ax.barh(pos, data["frequency"], color=colours, height=0.7)
    from matplotlib.patches import Patch

    handles = [
        Patch(color=colour, label=tier)
        for tier, colour in _TIER_COLOURS.items()
        if (first == tier).any()
    ]
    if "nominal" in data.columns and data["nominal"].any():
        at = np.flatnonzero(data["nominal"].to_numpy(dtype=bool))
        ax.plot(np.full(len(at), 1.02), pos[at], "o", color="black", ms=3,
                label="nominal plan", clip_on=False)  # fmt: skip
    if "required" in data.columns and data["required"].any():
        at = np.flatnonzero(data["required"].to_numpy(dtype=bool))
        ax.plot(np.full(len(at), 1.05), pos[at], "s", mfc="none", color="black", ms=4,
                label="required", clip_on=False)  # fmt: skip
    ax.axvline(threshold, color="#333", ls="--", lw=0.8, label=f"{threshold:.0%}")
    ax.set_yticks(pos)
    ax.set_yticklabels(labels, fontsize=7, family=[family, "DejaVu Sans"] if family else None)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.08)
    n = getattr(result, "n", None)
    ax.set_xlabel("share of draws in which the place is chosen" + (f" (n = {n})" if n else ""))
    ax.set_title("selection frequency under demand uncertainty", fontsize=9)
    ax.grid(True, axis="x", lw=0.3, color="#ccc")
    markers, _ = ax.get_legend_handles_labels()
    ax.legend(handles=markers + handles, fontsize=6, loc="lower right")
    return ax


def plot_regret(result: Any, relative: bool = True, bins: int = 30, ax: Any = None) -> Any:
    """Distribution of the nominal plan's regret over the draws.

    The regret of a draw is how much worse the nominal plan (solved with the nominal
    weights) does under the draw's weights than the draw's own optimum.

    Parameters
    ----------
    result : RobustnessResult
        Output of :func:`borderhub.robustness`.
    relative : bool, default True
        Regret in % of the draw's optimum (else in the objective's units).
    bins : int, default 30
        Histogram bins.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub import robustness
    >>> from borderhub.plots import plot_regret
    >>> cost = pd.DataFrame([[0.0, 10.0], [10.0, 0.0], [4.0, 6.0]],
    ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
    >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.2, 1.0], p=1, n=50,
    ...                  spread=0.5, progress=False)
    >>> plot_regret(res).get_xlabel()
    "nominal plan's regret (% of the draw's optimum)"
    """
    _, draws = _robustness_parts(result)
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise SpecificationError(f"bins must be a positive whole number, got {bins!r}")
    column = "relative_regret" if relative else "regret"
    values = pd.to_numeric(draws[column], errors="coerce").dropna()
    if relative:
        values = 100 * values
    ax = _new_axes(ax, (6.4, 3.2))
    ax.hist(values.to_numpy(dtype=float), bins=bins, color="#4c72b0", alpha=0.8)
    if len(values):
        ax.axvline(float(values.median()), color="#d62728", lw=1, label="median")
        ax.axvline(float(values.quantile(0.95)), color="#d62728", lw=1, ls="--",
                   label="95th percentile")  # fmt: skip
        ax.legend(fontsize=7)
    zero = float((values <= 1e-9).mean()) if len(values) else float("nan")
    ax.set_xlabel(
        "nominal plan's regret (% of the draw's optimum)"
        if relative
        else "nominal plan's regret (objective units)"
    )
    ax.set_ylabel("draws")
    ax.set_title(f"regret of the nominal plan; zero in {zero:.0%} of draws", fontsize=9)
    return ax


def plot_robustness(
    result: Any, names: Any = "plan_name", threshold: float = 0.9, top: int | None = None
) -> Any:
    """Selection frequency (tiers marked) and regret distribution on one figure.

    Parameters
    ----------
    result : RobustnessResult
        Output of :func:`borderhub.robustness`.
    names, threshold, top
        As in :func:`plot_selection_frequency`.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: selection frequency (left), regret (right).

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub import robustness
    >>> from borderhub.plots import plot_robustness
    >>> cost = pd.DataFrame([[0.0, 10.0], [10.0, 0.0], [4.0, 6.0]],
    ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
    >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.2, 1.0], p=1, n=50,
    ...                  spread=0.5, progress=False)
    >>> fig = plot_robustness(res)
    >>> [ax.get_title()[:9] for ax in fig.axes]
    ['selection', 'regret of']
    """
    from matplotlib.figure import Figure

    selection, _ = _robustness_parts(result)
    shown = len(selection) if top is None else min(len(selection), int(top))
    fig = Figure(figsize=(11, max(3.5, 0.2 * shown + 1.4)), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.2, 1])
    plot_selection_frequency(result, names=names, threshold=threshold, top=top, ax=left)
    plot_regret(result, ax=right)
    return fig
