r"""Cross-border flow siting: :class:`CrossBorderMedian`, :func:`gateway_costs`, :func:`gateways`.

International express is a set of *commodities* ``(i, k)``: pieces posted in origin ``i``
for partner hub ``k``. Each commodity goes through one open processing centre ``j`` (the
domestic leg ``d_ij``) and leaves China through the cheapest gateway of ``j`` for ``k``
(the international cost ``g_jk``: an airport, a seaport, a land border port or a rail
route). With ``g`` computed once per (centre, partner) by :func:`gateway_costs`, choosing
the centres is a p-median over commodities, solved exactly by the sparse level (radius)
machinery of :class:`~borderhub.locate.PMedian` (or its Benders method, when the
international costs lie close together across the centres).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.locate._benders import solve_benders
from borderhub.locate._core import (
    GE,
    Context,
    Levels,
    Outcome,
    PulpBuilder,
    as_float,
    check_positive,
    choose_method,
    cost_from_frames,
    per_candidate,
    preview,
)
from borderhub.locate._radius import solve_nearest_open
from borderhub.locate._registry import CENTRES, OPENING_COST
from borderhub.locate.base import LocationModel
from borderhub.locate.solution import Solution

__all__ = [
    "CrossBorderMedian",
    "CrossBorderSolution",
    "DEFAULT_MODES",
    "EUROPE_RAIL",
    "LANDLOCKED",
    "gateway_costs",
    "gateways",
    "solve_crossborder",
]

# The gateway tables and their costs live beside the flows (borderhub.flows); they stay
# importable from here and from borderhub.locate.
from borderhub.flows import (  # noqa: E402
    DEFAULT_MODES,
    EUROPE_RAIL,
    LANDLOCKED,
    gateway_costs,
    gateways,
    mode_table,
)


# ----------------------------------------------------------------------------------------
# the solution
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False, eq=False)
class CrossBorderSolution(Solution):
    """A :class:`~borderhub.locate.Solution` with the routing of every commodity.

    Attributes
    ----------
    routing : pandas.DataFrame
        One row per commodity with positive flow, MultiIndex ``(origin, partner)``;
        columns ``centre``, ``gateway``, ``mode`` (NaN when no route table was given),
        ``domestic_cost`` (``d_ij``), ``international_cost`` (``g_jk``), ``cost`` (their
        sum) and ``flow``. Domestic-demand rows (only with ``domestic_demand=``) are not
        part of it; they are in :attr:`domestic`.
    domestic : pandas.DataFrame
        With ``domestic_demand=``: per origin the nearest open centre (``centre``),
        ``cost`` and ``weight``; otherwise empty.
    assumptions : dict
        What the inputs rest on, for a run manifest (filled by :func:`solve_crossborder`:
        international share, partner split, tilt, mode parameters); empty otherwise.

    Notes
    -----
    :attr:`assignment` holds every model row (commodities and domestic rows) in the format
    shared with the other models: ``cost`` is the domestic leg, ``gateway`` the
    international cost per piece.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.locate import CrossBorderMedian
    >>> dom = pd.DataFrame([[0.0, 5.0], [5.0, 0.0]], index=["o1", "o2"], columns=["a", "b"])
    >>> intl = pd.DataFrame([[1.0, float("nan")], [9.0, 2.0]], index=["a", "b"],
    ...                     columns=["K1", "K2"])
    >>> flows = pd.DataFrame([[1.0, 1.0], [1.0, 0.0]], index=["o1", "o2"],
    ...                      columns=["K1", "K2"])
    >>> sol = CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=2).solve()
    >>> sol.routing["centre"].tolist()
    ['a', 'b', 'a']
    >>> sol.loads("centre")["flow"].tolist()
    [2.0, 1.0]
    """

    routing: pd.DataFrame = field(default_factory=pd.DataFrame)
    domestic: pd.DataFrame = field(default_factory=pd.DataFrame)
    assumptions: dict[str, Any] = field(default_factory=dict)

    def to_geodataframe(
        self, demand: Any = None, candidates: Any = None, lines: bool = False
    ) -> Any:
        """The routing as a GeoDataFrame (EPSG:4326), one row per commodity.

        Parameters
        ----------
        demand, candidates : GeoDataFrame, optional
            Points of the origins and centres (default: the frames the model was built
            from with ``from_geodataframe``).
        lines : bool, default False
            If True, each row's geometry is the segment from the origin to its centre;
            otherwise the origin point. (For the legs beyond the centre see
            :func:`borderhub.flowmap.flow_segments`.)

        Returns
        -------
        geopandas.GeoDataFrame
            The :attr:`routing` columns with the index flattened to ``origin`` and
            ``partner`` columns, plus ``geometry``.

        Raises
        ------
        SpecificationError
            No geometry known, or the frames lack some labels.

        Examples
        --------
        >>> from borderhub import datasets
        >>> from borderhub.locate import solve_crossborder
        >>> cand = datasets.candidates().loc[["530100", "532500"]]
        >>> dem = datasets.prefectures().loc[["530100", "532500"]]
        >>> part = datasets.partners().loc[["VNM-HAN"]]
        >>> gdf = solve_crossborder(cand, dem, part, p=1).to_geodataframe(lines=True)
        >>> gdf[["origin", "partner", "centre"]].values.tolist()
        [['530100', 'VNM-HAN', '532500'], ['532500', 'VNM-HAN', '532500']]
        >>> gdf.geometry.geom_type.unique().tolist()
        ['LineString']
        """
        import geopandas as gpd
        from shapely import linestrings, points

        from borderhub.locate.solution import as_wgs84

        demand = self._demand_geo if demand is None else demand
        candidates = self._candidate_geo if candidates is None else candidates
        if demand is None or (lines and candidates is None):
            raise SpecificationError(
                "this solution has no geometry (the model was built from cost matrices); "
                "pass `demand=` (and `candidates=` for lines) GeoDataFrames"
            )
        r = self.routing.reset_index()
        dem = as_wgs84(demand, "demand")
        miss = pd.Index(r["origin"].unique()).difference(dem.index)
        if len(miss):
            raise SpecificationError(f"demand GeoDataFrame lacks origins {list(miss[:10])}")
        o = dem.geometry.reindex(r["origin"].to_numpy())
        if lines:
            cand = as_wgs84(candidates, "candidates")
            miss = pd.Index(r["centre"].unique()).difference(cand.index)
            if len(miss):
                raise SpecificationError(f"candidates GeoDataFrame lacks {list(miss[:10])}")
            c = cand.geometry.reindex(r["centre"].to_numpy())
            coords = np.stack([np.c_[o.x, o.y], np.c_[c.x, c.y]], axis=1)
            geom = linestrings(coords) if len(r) else []
        else:
            geom = points(np.c_[o.x, o.y]) if len(r) else []
        return gpd.GeoDataFrame(r, geometry=list(geom), crs="EPSG:4326")

    def origin_stats(self) -> pd.DataFrame:
        """Per open centre: the origins it serves, their flow, share, mean and longest leg.

        The counterpart of :meth:`~borderhub.locate.Solution.centre_stats` over the
        :attr:`routing` (a centre serves an origin when it routes any of its flows).

        Returns
        -------
        pandas.DataFrame
            Index = open centre labels (name ``facility``); columns ``n_demand`` (origins
            served), ``load`` (flow), ``share`` (of all flow), ``mean_cost`` (flow-weighted
            domestic cost; NaN without flow) and ``max_cost`` (longest domestic leg).

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.locate import CrossBorderMedian
        >>> dom = pd.DataFrame([[0.0, 4.0], [3.0, 1.0]], index=["o1", "o2"], columns=["a", "b"])
        >>> intl = pd.DataFrame([[1.0], [1.0]], index=["a", "b"], columns=["K"])
        >>> flows = pd.DataFrame([[1.0], [3.0]], index=["o1", "o2"], columns=["K"])
        >>> sol = CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=1).solve()
        >>> sol.origin_stats()[["n_demand", "load", "mean_cost"]].to_dict("records")
        [{'n_demand': 2, 'load': 4.0, 'mean_cost': 1.75}]
        """
        r = self.routing.reset_index()
        index = pd.Index(self.open, name="facility")
        if r.empty:
            return pd.DataFrame(
                {"n_demand": 0, "load": 0.0, "share": 0.0, "mean_cost": np.nan,
                 "max_cost": np.nan},
                index=index,
            )  # fmt: skip
        r = r.assign(_wd=r["flow"] * r["domestic_cost"])
        g = r.groupby("centre", sort=False).agg(
            n_demand=("origin", "nunique"),
            load=("flow", "sum"),
            _wd=("_wd", "sum"),
            max_cost=("domestic_cost", "max"),
        )
        g["mean_cost"] = g["_wd"] / g["load"].where(g["load"] > 0)
        g["share"] = g["load"] / float(r["flow"].sum())
        return g.reindex(index)[["n_demand", "load", "share", "mean_cost", "max_cost"]]

    def loads(self, by: str | list[str] = "centre") -> pd.DataFrame:
        """Flow carried per centre, gateway, mode or partner (or a combination).

        Parameters
        ----------
        by : {"centre", "gateway", "mode", "partner", "origin"} or list of them
            Routing column(s) (or index level) to group by.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``by``, columns ``flow`` (pieces), ``commodities`` (number of
            origin-partner pairs) and ``cost`` (flow-weighted total cost), sorted by flow
            (largest first).

        Raises
        ------
        SpecificationError
            Unknown ``by``.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.locate import CrossBorderMedian
        >>> dom = pd.DataFrame([[0.0, 4.0]], index=["o"], columns=["a", "b"])
        >>> intl = pd.DataFrame([[3.0, 5.0], [1.0, 1.0]], index=["a", "b"],
        ...                     columns=["K1", "K2"])
        >>> flows = pd.DataFrame([[2.0, 1.0]], index=["o"], columns=["K1", "K2"])
        >>> sol = CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=1).solve()
        >>> sol.loads("partner")["flow"].to_dict()
        {'K1': 2.0, 'K2': 1.0}
        """
        keys = [by] if isinstance(by, str) else list(by)
        allowed = ("centre", "gateway", "mode", "partner", "origin")
        bad = [k for k in keys if k not in allowed]
        if bad or not keys:
            raise SpecificationError(f"loads(by=...): unknown {bad}; use some of {list(allowed)}")
        r = self.routing.reset_index()
        if r.empty:
            return pd.DataFrame(columns=["flow", "commodities", "cost"])
        r = r.assign(_wc=r["flow"] * r["cost"])
        out = r.groupby(keys, sort=False, dropna=False).agg(
            flow=("flow", "sum"), commodities=("flow", "size"), cost=("_wc", "sum")
        )
        return out.sort_values("flow", ascending=False, kind="stable")


# ----------------------------------------------------------------------------------------
# the model
# ----------------------------------------------------------------------------------------
def _frame(obj: Any, name: str) -> pd.DataFrame:
    if not isinstance(obj, pd.DataFrame):
        raise DataError(f"{name} must be a labelled pandas DataFrame, got {type(obj).__name__}")
    if obj.shape[0] == 0 or obj.shape[1] == 0:
        raise DataError(f"{name} is empty (shape {obj.shape}); pass at least one row and column")
    for axis, labels in (("row", obj.index), ("column", obj.columns)):
        if labels.has_duplicates:
            dup = labels[labels.duplicated()].unique()
            raise DataError(f"{name} has duplicate {axis} labels {preview(dup)}; make them unique")
    return obj


class CrossBorderMedian(LocationModel):
    r"""Route origin x partner international flows through open centres and their gateways.

    Commodities ``(i, k)`` carry ``f_ik`` pieces from origin ``i`` to partner hub ``k``.
    Each goes through one open centre ``j`` (domestic cost ``d_ij``) and on through
    ``j``'s cheapest gateway for ``k`` (international cost ``g_jk``, NaN when ``j`` cannot
    reach ``k``)::

        min  sum_{i,k} f_ik * (d_{i,a(i,k)} + g_{a(i,k),k})  [+ lambda sum_i w_i d_{i,b(i)}]
        s.t. sum_j y_j = p  (or, with opening costs:  + sum_j F_j y_j  and no p),
             y_j in {0, 1},  plus the policy constraints on y

    where ``a(i, k)`` is the open centre minimising ``d_ij + g_jk`` among those that reach
    ``k``; the bracketed domestic term (``b(i)`` the nearest open centre) enters only
    when ``domestic_demand`` is given. It is a p-median (or uncapacitated fixed-charge
    model) whose demand rows are the commodities, solved exactly with the chained level
    formulation and iterative expansion of :class:`~borderhub.locate.PMedian`; pairs
    with no route are left out of a commodity's levels, and the last level of a
    commodity forces one of the centres that can route it to open. When the first solve
    of the truncated levels leaves commodities undercharged (international costs close
    together across centres), a model with a fixed ``p``, no opening costs and every
    pair routable is finished by the Benders method of :class:`~borderhub.locate.PMedian`
    under HiGHS.

    Parameters
    ----------
    domestic : pandas.DataFrame
        Origins x candidates domestic cost ``d_ij`` (finite, non-negative).
    international : pandas.DataFrame
        Candidates x partners international cost ``g_jk`` (non-negative; NaN = no
        route). Must cover every candidate of ``domestic`` and every partner of
        ``flows``.
    flows : pandas.DataFrame
        Origins x partners flows ``f_ik`` (finite, non-negative); its origins must be rows
        of ``domestic``.
    p : int, optional
        Number of centres to open. Exactly one of ``p`` and ``fixed_cost``.
    fixed_cost : float or pandas.Series, optional
        Opening cost of each candidate (fixed-charge variant, free number of centres).
    routes : pandas.DataFrame, optional
        The long table of :func:`gateway_costs` (``gateway`` and ``mode`` per (centre,
        partner)); used only to label the routing.
    domestic_demand : pandas.Series, optional
        Weight of each origin for a domestic p-median term (default: none).
    domestic_weight : float, default 1.0
        ``lambda``, the coefficient of the domestic term.
    **policy
        ``required``, ``forbidden``, ``groups``, ``min_per_group``, ``max_per_group``;
        see :class:`~borderhub.locate.LocationModel`. (``gateway_cost`` is refused: the
        international matrix replaces it.)

    Raises
    ------
    DataError
        Negative, missing or infinite flows or costs; origins or partners of ``flows``
        missing from the cost tables; a commodity with positive flow that no allowed
        centre can route (no gateway reaches its partner).
    SpecificationError
        Both or neither of ``p`` and ``fixed_cost``; ``p`` larger than the allowed centres
        that can route any flow; inconsistent policy parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.locate import CrossBorderMedian
    >>> dom = pd.DataFrame([[0.0, 6.0, 9.0], [6.0, 0.0, 4.0]], index=["o1", "o2"],
    ...                    columns=["a", "b", "c"])
    >>> nan = float("nan")
    >>> intl = pd.DataFrame({"K1": [2.0, 8.0, 1.0], "K2": [nan, 3.0, nan]},
    ...                     index=["a", "b", "c"])
    >>> flows = pd.DataFrame({"K1": [1.0, 1.0], "K2": [1.0, 2.0]}, index=["o1", "o2"])
    >>> sol = CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=2).solve()
    >>> list(sol.open), sol.objective
    (['a', 'b'], 25.0)
    >>> CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=1).solve().open.tolist()
    ['b']
    """

    name = "crossborder"
    title = "cross-border flow median"
    about = (
        "route each unit's international express to each partner through a centre and its "
        "cheapest gateway (air, sea, road, rail)"
    )
    parameters = {
        "p": dataclasses.replace(CENTRES, excludes=("fixed_cost",)),
        "fixed_cost": dataclasses.replace(OPENING_COST, required=False, excludes=("p",)),
    }
    plan_options = frozenset({"share", "split", "tilt", "modes", "partners", "gateways"})
    plan_inputs = frozenset({"partner_flows"})

    def __init__(
        self,
        domestic: Any,
        international: Any,
        flows: Any,
        *,
        p: int | None = None,
        fixed_cost: Any = None,
        routes: pd.DataFrame | None = None,
        domestic_demand: Any = None,
        domestic_weight: float = 1.0,
        **policy: Any,
    ) -> None:
        if "gateway_cost" in policy or "gateway_weight" in policy:
            raise SpecificationError(
                "CrossBorderMedian takes no gateway_cost/gateway_weight: the international "
                "cost matrix gives the gateway term of every (centre, partner)"
            )
        dom = _frame(domestic, "domestic")
        intl = _frame(international, "international")
        fl = _frame(flows, "flows")
        if (p is None) == (fixed_cost is None):
            raise SpecificationError(
                "give exactly one of p= (open p centres) and fixed_cost= (opening costs, free "
                "number of centres)"
            )
        self.p = None if p is None else CENTRES.check(p, "p")
        # --- labels --------------------------------------------------------------------
        miss_o = fl.index.difference(dom.index)
        if len(miss_o):
            raise DataError(
                f"flows has origins {preview(miss_o)} that are not rows of `domestic`; add "
                "their domestic costs or drop them from flows"
            )
        miss_c = dom.columns.difference(intl.index)
        if len(miss_c):
            raise DataError(
                f"`international` has no row for candidates {preview(miss_c)}; give every "
                "candidate of `domestic` a row (NaN where it reaches no partner)"
            )
        miss_k = fl.columns.difference(intl.columns)
        if len(miss_k):
            raise DataError(
                f"flows has partners {preview(miss_k)} that are not columns of "
                "`international`; add their costs or drop them from flows"
            )
        # --- values --------------------------------------------------------------------
        F = as_float(fl)
        bad = ~np.isfinite(F) | (F < 0)
        if bad.any():
            i, k = np.nonzero(bad)
            cells = [
                (fl.index[a], fl.columns[b], fl.iat[a, b])
                for a, b in zip(i[:5], k[:5], strict=True)
            ]
            raise DataError(
                f"flows has {int(bad.sum())} negative, missing or non-finite value(s), e.g. "
                f"(origin, partner, value) {cells}; flows must be finite and >= 0 (use 0 for "
                "no flow)"
            )
        cand = dom.columns
        G = as_float(intl.reindex(index=cand, columns=fl.columns))
        badg = np.isinf(G) | (G < 0)
        if badg.any():
            j, k = np.nonzero(badg)
            cells = [(cand[a], fl.columns[b], G[a, b]) for a, b in zip(j[:5], k[:5], strict=True)]
            raise DataError(
                f"`international` has negative or infinite costs, e.g. (centre, partner, value) "
                f"{cells}; costs must be >= 0, NaN where there is no route"
            )
        D = as_float(dom)
        # --- commodities ---------------------------------------------------------------
        io, ko = np.nonzero(F > 0)
        labels = pd.MultiIndex.from_arrays(
            [fl.index[io], fl.columns[ko]], names=["origin", "partner"]
        )
        o_pos = dom.index.get_indexer(fl.index[io])
        self.domestic = dom.copy()
        self.international = intl.copy()
        self.flows = fl.copy()
        self.routes = None if routes is None else routes.copy()
        self.domestic_weight = check_positive(domestic_weight, "domestic_weight", True)
        dw = None
        if domestic_demand is not None:
            if not isinstance(domestic_demand, pd.Series):
                raise DataError("domestic_demand must be a Series indexed by origin labels")
            miss = domestic_demand.index.difference(dom.index)
            if len(miss):
                raise DataError(
                    f"domestic_demand has origins {preview(miss)} that are not rows of `domestic`"
                )
            dw = as_float(domestic_demand)
            if (~np.isfinite(dw) | (dw < 0)).any():
                badl = domestic_demand.index[~np.isfinite(dw) | (dw < 0)]
                raise DataError(
                    f"domestic_demand has negative or missing values for {preview(badl)}; "
                    "fix them (0 for none)"
                )
        self.domestic_demand = None if domestic_demand is None else domestic_demand.copy()
        n_int = len(labels)
        rows_d = D[o_pos] if n_int else np.zeros((0, len(cand)))
        w = F[io, ko]
        self._Gc = G[:, ko].T if n_int else np.zeros((0, len(cand)))  # commodities x cand
        if dw is not None:
            keep = dw * self.domestic_weight > 0
            dlab = domestic_demand.index[keep]
            labels = labels.append(
                pd.MultiIndex.from_arrays([dlab, [_DOMESTIC] * len(dlab)], names=labels.names)
            )
            rows_d = np.vstack([rows_d, D[dom.index.get_indexer(dlab)]])
            w = np.concatenate([w, dw[keep] * self.domestic_weight])
            self._Gc = np.vstack([self._Gc, np.zeros((len(dlab), len(cand)))])
        if len(labels) == 0:
            raise DataError("flows are all zero; there is nothing to route")
        if _DOMESTIC in set(fl.columns):
            raise DataError(f"a partner may not be called {_DOMESTIC!r}; rename it")
        self._n_int = n_int
        cost = pd.DataFrame(rows_d, index=labels, columns=cand.copy())
        super().__init__(cost, pd.Series(w, index=labels), **policy)
        self.fixed_cost = None
        if fixed_cost is not None:
            self.fixed_cost = per_candidate(fixed_cost, cand, "fixed_cost", positive=False)
        self._check()

    # ------------------------------------------------------------------------------
    @classmethod
    def from_cost_matrices(
        cls, domestic: Any, international: Any, flows: Any, *, p: int | None = None, **policy: Any
    ) -> CrossBorderMedian:
        """Build the model from the three cost/flow tables.

        Parameters
        ----------
        domestic : pandas.DataFrame
            Origins x candidates domestic cost.
        international : pandas.DataFrame
            Candidates x partners international cost (NaN = no route).
        flows : pandas.DataFrame
            Origins x partners flows.
        p : int, optional
            Number of centres (or pass ``fixed_cost=`` instead).
        **policy
            ``fixed_cost``, ``routes``, ``domestic_demand``, ``domestic_weight`` and the
            policy parameters (``required``, ``forbidden``, ``groups``, ...).

        Returns
        -------
        CrossBorderMedian

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.locate import CrossBorderMedian
        >>> dom = pd.DataFrame([[1.0, 2.0]], index=["o"], columns=["a", "b"])
        >>> intl = pd.DataFrame([[5.0], [1.0]], index=["a", "b"], columns=["K"])
        >>> flows = pd.DataFrame([[3.0]], index=["o"], columns=["K"])
        >>> CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=1).solve().objective
        9.0
        """
        return cls(domestic, international, flows, p=p, **policy)

    @classmethod
    def from_cost_matrix(cls, cost: Any, weights: Any = None, **params: Any) -> Any:
        """Not available: use :meth:`from_cost_matrices`.

        Parameters
        ----------
        cost, weights, **params
            Ignored.

        Returns
        -------
        None
            Never returns.

        Raises
        ------
        SpecificationError
            Always.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import CrossBorderMedian
        >>> CrossBorderMedian.from_cost_matrix(np.eye(2))
        Traceback (most recent call last):
        ...
        borderhub.exceptions.SpecificationError: CrossBorderMedian needs three tables ...
        """
        raise SpecificationError(
            "CrossBorderMedian needs three tables (domestic, international, flows); use "
            "CrossBorderMedian.from_cost_matrices(domestic, international, flows, p=...)"
        )

    @classmethod
    def from_geodataframe(  # type: ignore[override]
        cls,
        demand: Any,
        candidates: Any,
        partners: Any,
        flows: Any = None,
        *,
        distance: str | pd.DataFrame = "geodesic",
        gateways: Any = None,
        modes: Any = None,
        p: int | None = None,
        gateway_distance: str | None = None,
        **params: Any,
    ) -> CrossBorderMedian:
        """Build the model from point tables of origins, candidates and partner hubs.

        The domestic cost is the distance from each origin to each candidate (``distance``),
        the international cost comes from :func:`gateway_costs` with ``gateways`` and
        ``modes``, and the flows default to :func:`borderhub.international_demand` on the
        origins and partners with its default (sourced) assumptions.

        Parameters
        ----------
        demand : geopandas.GeoDataFrame
            Origins (points with CRS) indexed by label; with ``flows=None`` it needs an
            ``express_volume`` column.
        candidates : geopandas.GeoDataFrame
            Candidate centres.
        partners : geopandas.GeoDataFrame
            Partner hubs with an ``iso3`` column.
        flows : pandas.DataFrame, optional
            Origins x partners flows (default :func:`borderhub.international_demand`).
        distance : {"geodesic", "euclidean", "road", "rail"} or pandas.DataFrame
            Domestic cost, as for :meth:`LocationModel.from_geodataframe` (default
            ``"geodesic"``); ``"road"`` and ``"rail"`` measure along the network
            (:func:`borderhub.routes.network_km`) and, unless ``gateway_distance`` says
            otherwise, the legs of the gateway costs too.
        gateways, modes
            Passed to :func:`gateway_costs`.
        p : int, optional
            Number of centres (or ``fixed_cost=``).
        gateway_distance : {"geodesic", "road", "rail"}, optional
            How the legs of the gateway costs are measured (``distance=`` of
            :func:`gateway_costs`); default ``distance`` when it is ``"road"`` or
            ``"rail"``, else ``"geodesic"``.
        **params
            ``fixed_cost``, ``domestic_demand``, ``domestic_weight`` and the policy
            parameters.

        Returns
        -------
        CrossBorderMedian

        Examples
        --------
        >>> from borderhub import datasets
        >>> from borderhub.locate import CrossBorderMedian
        >>> dem = datasets.prefectures().loc[["530100", "532500", "310000"]]
        >>> cand = datasets.candidates().loc[["530100", "532500", "310000"]]
        >>> part = datasets.partners().loc[["VNM-HAN", "JPN-TYO"]]
        >>> sol = CrossBorderMedian.from_geodataframe(dem, cand, part, p=2).solve()
        >>> sol.status
        'optimal'
        >>> sorted(sol.loads(["partner", "mode"]).index)
        [('JPN-TYO', 'air'), ('VNM-HAN', 'air'), ('VNM-HAN', 'road')]
        """
        from borderhub.flows import international_demand

        dom = cost_from_frames(demand, candidates, distance)
        legs = _legs(distance, gateway_distance)
        routes = gateway_costs(candidates, partners, gateways=gateways, modes=modes, distance=legs)
        intl = (
            routes["cost"]
            .unstack("partner")
            .reindex(index=candidates.index, columns=partners.index)
        )
        if flows is None:
            flows = international_demand(demand, partners)
        model = cls(dom, intl, flows, p=p, routes=routes, **params)
        model._demand_geo = demand
        model._candidate_geo = candidates
        return model

    # ------------------------------------------------------------------------------
    def _cardinality(self) -> int | None:
        return self.p

    def _check_model(self) -> None:
        allowed = ~self.cost.columns.isin(self.forbidden)
        reach = np.isfinite(self._Gc)
        n = self._n_int
        dead = np.asarray(~(reach[:n][:, allowed]).any(axis=1), dtype=bool)
        if dead.any():
            rows = self.cost.index[:n][dead]
            why = []
            part = self.cost.index[:n].get_level_values("partner")
            for k in pd.Index(rows.get_level_values("partner")).unique()[:5]:
                anyc = reach[:n][np.asarray(part == k)]
                why.append(
                    f"{k!r}: "
                    + ("no gateway of any candidate reaches it" if not anyc.any()
                       else "only forbidden candidates reach it")
                )  # fmt: skip
            raise DataError(
                f"{int(dead.sum())} commodities (origin, partner) with positive flow cannot be "
                f"routed by any allowed centre, e.g. {preview(list(rows), 5)}; why: "
                f"{'; '.join(why)}. Add a gateway or mode that reaches the partner, allow a "
                "centre that does, or set those flows to 0"
            )
        if self.p is not None:
            useful = reach[:n].any(axis=0) & allowed if n else allowed
            if self._n_int < len(self.cost.index):  # domestic rows: any centre serves them
                useful = allowed
            if self.p > int(useful.sum()):
                idle = self.cost.columns[allowed & ~useful]
                raise SpecificationError(
                    f"p={self.p} is larger than the {int(useful.sum())} allowed centres that can "
                    f"route any flow (centres {preview(idle)} reach none of the partners with "
                    "flow); lower p or add gateways"
                )

    def _prepare(self) -> None:
        super()._prepare()
        G = np.where(np.isfinite(self._Gc), self._Gc, np.inf)
        self._C = self._C + G
        # Flows are often tiny numbers (亿件); scale them to a mean of 1 inside the MILP so
        # no objective coefficient falls below the solver's tolerances, and scale back.
        act = self._w[self._active]
        mean = float(act.mean()) if len(act) else 1.0
        self._scale = 2.0 ** -round(math.log2(mean)) if mean > 0 else 1.0  # exact in binary
        self._w = self._w * self._scale

    def _solve(self, ctx: Context) -> Outcome:
        fixed = None
        if self.fixed_cost is not None:
            fixed = self.fixed_cost.to_numpy(dtype=float)[self._allowed_pos] * self._scale
        out = self._solve_scaled(ctx, fixed)
        out.objective /= self._scale
        out.bound /= self._scale
        self._w = self._w / self._scale
        if out.open_pos is not None:
            pos = np.sort(np.asarray(out.open_pos, dtype=np.int64))
            k = self._C[:, pos].argmin(axis=1)
            fac = pos[k]
            r = np.arange(len(fac))
            raw = self.cost.to_numpy(dtype=float)
            a = pd.DataFrame(
                {
                    "facility": self.cost.columns[fac],
                    "cost": raw[r, fac],
                    "gateway": self._Gc[r, fac],
                    "weight": self._w,
                },
                index=self.cost.index.copy(),
            )
            out.assignment = a
        return out

    def _solve_scaled(self, ctx: Context, fixed: np.ndarray | None) -> Outcome:
        """The level formulation, or Benders when its truncated levels do not suffice.

        When the international legs cost about the same from many centres (air gateways at
        most of them), the first solve of the truncated level model leaves commodities
        undercharged and each expansion round rebuilds and re-solves a larger MILP; the
        Benders method (:mod:`borderhub.locate._benders`) then proves the optimum faster.
        It needs HiGHS, exactly ``p`` centres without opening costs and every cost finite
        (its cuts take the cost of each candidate), else the rounds go on.
        """
        C = self._C[np.ix_(self._active, self._allowed_pos)]
        benders = (
            self.p is not None and fixed is None and bool(np.isfinite(C).all())
            and choose_method("auto", ctx.solver_spec, "benders", "radius", lambda: True)
            == "benders"
        )  # fmt: skip
        rounds = 1 if benders else None
        out = solve_nearest_open(
            self, ctx, fixed, slack=_SLACK, levels=_SharedLevels, rounds=rounds
        )
        return solve_benders(self, ctx) if out is None else out

    def solve(self, *args: Any, **kwargs: Any) -> CrossBorderSolution:
        """Build and solve the model; see :meth:`LocationModel.solve`.

        Parameters
        ----------
        *args, **kwargs
            ``solver``, ``time_limit``, ``mip_gap``, ``msg``, ``raise_on_infeasible``.

        Returns
        -------
        CrossBorderSolution
            The solution with :attr:`~CrossBorderSolution.routing` and
            :meth:`~CrossBorderSolution.loads`.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.locate import CrossBorderMedian
        >>> dom = pd.DataFrame([[1.0, 2.0]], index=["o"], columns=["a", "b"])
        >>> intl = pd.DataFrame([[5.0], [1.0]], index=["a", "b"], columns=["K"])
        >>> flows = pd.DataFrame([[3.0]], index=["o"], columns=["K"])
        >>> sol = CrossBorderMedian.from_cost_matrices(dom, intl, flows, fixed_cost=1).solve()
        >>> list(sol.open), sol.objective
        (['b'], 10.0)
        """
        sol = super().solve(*args, **kwargs)
        base = {f.name: getattr(sol, f.name) for f in dataclasses.fields(Solution)}
        n = self._n_int
        a = sol.assignment
        if not sol.has_solution:
            a = pd.DataFrame(
                {"facility": pd.Series([], dtype=object), "cost": [], "gateway": [],
                 "weight": []},
                index=self.cost.index[:0],
            )  # fmt: skip
        intl = a.iloc[:n]
        routing = pd.DataFrame(
            {
                "centre": intl["facility"],
                "gateway": None,
                "mode": None,
                "domestic_cost": intl["cost"],
                "international_cost": intl["gateway"],
                "cost": intl["cost"] + intl["gateway"],
                "flow": intl["weight"],
            },
            index=intl.index.copy(),
        )
        routing.index.names = ["origin", "partner"]
        if self.routes is not None and len(routing):
            key = pd.MultiIndex.from_arrays(
                [routing["centre"].to_numpy(), routing.index.get_level_values("partner")]
            )
            look = self.routes.reindex(key)
            routing["gateway"] = look["gateway"].to_numpy()
            routing["mode"] = look["mode"].to_numpy()
        dom = a.iloc[n:]
        domestic = pd.DataFrame(
            {"centre": dom["facility"].to_numpy(), "cost": dom["cost"].to_numpy(),
             "weight": dom["weight"].to_numpy() / (self.domestic_weight or 1.0)},
            index=pd.Index(dom.index.get_level_values("origin"), name="origin"),
        )  # fmt: skip
        return CrossBorderSolution(**base, routing=routing, domestic=domestic)


_DOMESTIC = "(domestic)"


class _SharedLevels(Levels):
    """Level rows shared by commodities with the same truncated level sequence.

    Two rows whose first ``k`` sorted candidates, level boundaries and truncation agree
    have identical level constraints, and for any ``y`` the least feasible ``z`` (which an
    optimum takes, the objective coefficients being non-negative) depends only on those
    constraints. So one set of ``z`` and rows serves the whole group, with the objective
    coefficients summed over its members -- exact for the LP and the MILP. Commodities
    from one origin to nearby partners, or from nearby origins, share most prefixes (on
    the bundled data 15,781 commodities have about 1,400 distinct prefixes at p = 5).
    """

    # Returns nothing, unlike the base: a shared row has no single demand row, so the
    # per-row re-weighting the base's return value serves does not apply here.
    def add_rows(  # type: ignore[override]
        self, b: PulpBuilder, y: np.ndarray, w: np.ndarray, k: np.ndarray
    ) -> None:
        n, m = self.n, self.m
        if n == 0:
            return
        trunc = k < self.full
        groups: dict[tuple[bytes, bytes, bool], int] = {}
        gid = np.empty(n, dtype=np.int64)
        for i in range(n):
            ki = int(k[i])
            key = (self.order[i, :ki].tobytes(), self.new[i, :ki].tobytes(), bool(trunc[i]))
            gid[i] = groups.setdefault(key, len(groups))
        n_groups = len(groups)
        rep = np.zeros(n_groups, dtype=np.int64)
        rep[gid[::-1]] = np.arange(n)[::-1]  # first member of each group
        L = self.lev[np.arange(n), k - 1] + 1
        # objective coefficient of every (row, level), summed per (group, level)
        ii, rr = np.nonzero(np.arange(m)[None, :] < k[:, None])
        newf = self.new[ii, rr]
        li, ll, lcost = ii[newf], self.lev[ii, rr][newf], self.S[ii, rr][newf]
        last = ll == L[li] - 1
        exists = ~last | trunc[li]
        dnext = np.empty(len(li))
        dnext[:-1] = lcost[1:]
        lt = np.flatnonzero(last & exists)
        dnext[lt] = self.S[li[lt], k[li[lt]]]
        Lg = L[rep]
        ro = np.concatenate([[0], np.cumsum(Lg)[:-1]])
        agg = np.zeros(int(Lg.sum()))
        e = np.flatnonzero(exists)
        np.add.at(agg, ro[gid[li[e]]] + ll[e], w[li[e]] * (dnext[e] - lcost[e]))
        # the rows of each group's representative
        kg = k[rep]
        gi, gr = np.nonzero(np.arange(m)[None, :] < kg[:, None])
        irep = rep[gi]
        levf, newg = self.lev[irep, gr], self.new[irep, gr]
        lg, lvl = gi[newg], levf[newg]
        lastg = lvl == Lg[lg] - 1
        exists_g = ~lastg | trunc[rep][lg]
        z = b.variables("z", int(exists_g.sum()), 0.0, None)
        zid = np.cumsum(exists_g) - 1
        with_z = np.flatnonzero(exists_g)
        prev = np.flatnonzero(lvl > 0)
        row = np.concatenate([ro[gi] + levf, with_z, prev])
        var = np.concatenate([y[self.order[irep, gr]], z[zid[with_z]], z[zid[prev - 1]]])
        coef = np.concatenate([np.ones(len(gi)), np.ones(len(with_z)), -np.ones(len(prev))])
        b.rows("lvl", row, var, coef, GE, (lvl == 0).astype(float), len(lg))
        b.objective(z, agg[exists_g])
        b.constant += float(w @ self.S[:, 0])


def _legs(distance: Any, gateway_distance: str | None) -> str:
    """How the gateway legs are measured: as asked, else as the domestic leg if a network."""
    if gateway_distance is not None:
        return gateway_distance
    return distance if isinstance(distance, str) and distance in ("road", "rail") else "geodesic"


#: Initial extra levels per commodity in the iterative level scheme: commodities are many
#: and their nearest open centre is usually the heuristic's, so start lean and expand.
_SLACK = 0


def solve_crossborder(
    candidates: Any,
    demand: Any,
    partners: Any,
    *,
    p: int | None = None,
    flows: pd.DataFrame | None = None,
    share: float | None = None,
    year: int = 2025,
    split: str | pd.Series = "exports",
    tilt: float = 1.0,
    modes: Any = None,
    gateways: Any = None,
    distance: str | pd.DataFrame = "geodesic",
    gateway_distance: str | None = None,
    solver: Any = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    **params: Any,
) -> CrossBorderSolution:
    """The whole cross-border job in one call: demand, gateway costs, model, solution.

    Builds the flows with :func:`borderhub.international_demand` (unless ``flows`` is
    given), the international costs with :func:`gateway_costs`, the domestic costs from
    the points, solves :class:`CrossBorderMedian` and records every assumption in
    :attr:`CrossBorderSolution.assumptions` (for a run manifest).

    Parameters
    ----------
    candidates, demand, partners : geopandas.GeoDataFrame
        Candidate centres, origins (with ``express_volume`` unless ``flows`` is given) and
        partner hubs (with ``iso3``), as :mod:`borderhub.datasets` returns them.
    p : int, optional
        Number of centres (or pass ``fixed_cost=``).
    flows : pandas.DataFrame, optional
        Your own origins x partners matrix (then ``share``, ``year``, ``split`` and
        ``tilt`` are not used).
    share, year, split, tilt
        Passed to :func:`borderhub.international_demand`.
    modes, gateways
        Passed to :func:`gateway_costs`.
    distance : {"geodesic", "euclidean", "road", "rail"} or pandas.DataFrame
        Domestic cost, as for :meth:`CrossBorderMedian.from_geodataframe`.
    gateway_distance : {"geodesic", "road", "rail"}, optional
        How the legs of the gateway costs are measured (default: ``distance`` when it
        is a network, else geodesic); recorded as ``assumptions["gateway_distance"]``.
    solver, time_limit, mip_gap
        Passed to :meth:`CrossBorderMedian.solve`.
    **params
        ``fixed_cost``, ``domestic_demand``, ``domestic_weight`` and the policy parameters
        (``required``, ``forbidden``, ``groups``, ``min_per_group``, ``max_per_group``).

    Returns
    -------
    CrossBorderSolution
        With ``routing``, ``loads()`` and ``assumptions``.

    Examples
    --------
    >>> from borderhub import datasets
    >>> from borderhub.locate import solve_crossborder
    >>> cand = datasets.candidates().loc[["530100", "532500", "310000"]]
    >>> dem = datasets.prefectures().loc[["530100", "532500", "310000"]]
    >>> part = datasets.partners().loc[["VNM-HAN", "JPN-TYO"]]
    >>> sol = solve_crossborder(cand, dem, part, p=2, share=0.05)
    >>> sol.status, sol.assumptions["share"], sorted(sol.assumptions["modes"])
    ('optimal', 0.05, ['air', 'rail', 'road', 'sea', 'truck'])
    """
    from borderhub.flows import international_demand

    if flows is None:
        flows = international_demand(
            demand, partners, share=share, year=year, split=split, tilt=tilt
        )
        assumptions = dict(flows.attrs.get("assumptions", {}))
    else:
        assumptions = {"flows": "user-supplied origins x partners matrix"}
    assumptions["modes"] = mode_table(modes)
    legs = _legs(distance, gateway_distance)
    assumptions["gateways"] = "bundled" if gateways is None else "user-supplied"
    assumptions["gateway_distance"] = legs
    model = CrossBorderMedian.from_geodataframe(
        demand, candidates, partners, flows, distance=distance, gateways=gateways,
        modes=modes, p=p, gateway_distance=legs, **params,
    )  # fmt: skip
    sol = model.solve(solver=solver, time_limit=time_limit, mip_gap=mip_gap)
    return dataclasses.replace(sol, assumptions=assumptions)
