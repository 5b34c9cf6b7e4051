"""The result of solving a location model: :class:`Solution` and :class:`Status`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SpecificationError

__all__ = ["Solution", "Status"]


class Status(StrEnum):
    """How a solve ended.

    The members compare equal to their lower-case string values, so
    ``solution.status == "optimal"`` works.

    Examples
    --------
    >>> from borderhub.locate import Status
    >>> Status.OPTIMAL == "optimal"
    True
    >>> [s.value for s in Status]
    ['optimal', 'feasible', 'infeasible', 'unbounded', 'not_solved']
    """

    #: Proven optimal (relative gap at most :data:`OPTIMAL_GAP`).
    OPTIMAL = "optimal"
    #: A feasible solution, but stopped (time limit, ``mip_gap``) before optimality was proven.
    FEASIBLE = "feasible"
    #: Proven infeasible.
    INFEASIBLE = "infeasible"
    #: Proven unbounded.
    UNBOUNDED = "unbounded"
    #: Stopped without any feasible solution (e.g. time limit reached first).
    NOT_SOLVED = "not_solved"

    def __repr__(self) -> str:
        return repr(self.value)


#: What the objective of each model measures (shown by :meth:`Solution.summary`).
_OBJECTIVE_UNITS = {
    "PMedian": "weight x cost",
    "PCenter": "longest cost",
    "MaxCoverage": "weight covered",
    "SetCover": "centres",
    "FacilityLocation": "opening costs + weight x cost",
    "HubMedian": "flow x cost",
}

#: Largest relative gap (``|objective - bound| / |objective|``) still reported as optimal.
OPTIMAL_GAP = 1e-6


@dataclass(frozen=True, repr=False, eq=False)
class Solution:
    """Result of :meth:`LocationModel.solve <borderhub.locate.LocationModel.solve>`.

    Everything is keyed by the caller's labels (e.g. adcodes), never by row position.

    Attributes
    ----------
    model : str
        Name of the model class, e.g. ``"PMedian"``.
    status : Status
        ``optimal``, ``feasible`` (a solution, optimality not proven: time limit or
        ``mip_gap`` reached), ``infeasible``, ``unbounded`` or ``not_solved``. A
        time-limited incumbent is never reported as ``optimal``.
    open : pandas.Index
        Labels of the open centres (hubs for :class:`~borderhub.locate.HubMedian`).
    assignment : pandas.DataFrame
        One row per demand label (index name ``demand``) with columns ``facility`` (label of
        the serving centre), ``cost`` (travel cost from the cost matrix), ``gateway``
        (gateway term per unit of weight, 0 when no gateway cost was given), ``weight``
        and, for coverage models, ``covered`` (bool).
    objective : float
        Objective value of the returned solution in the model's own terms (for example
        the weighted cost for :class:`~borderhub.locate.PMedian`, the covered weight for
        :class:`~borderhub.locate.MaxCoverage`). NaN when there is no solution.
    bound : float
        Best proven bound on the optimum (lower bound when minimising, upper bound when
        maximising); NaN when the solver reports none.
    gap : float
        Relative gap ``|objective - bound| / |objective|`` (0 when proven optimal, NaN when
        unknown).
    build_time, solve_time : float
        Seconds spent building the model(s) and inside the solver calls.
    iterations : int
        Number of solver calls (the p-median radius expansion and the p-center search use
        more than one).
    message : str
        Human-readable diagnosis (for example which constraint family makes a model
        infeasible).
    interrupted : bool
        Ctrl-C (SIGINT) stopped the solve: the solution is the best found so far (status
        ``feasible``, or ``not_solved`` when there was none).

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.locate import PMedian
    >>> cost = np.array([[0.0, 4.0], [3.0, 1.0], [5.0, 0.0]])
    >>> sol = PMedian.from_cost_matrix(cost, p=1).solve()
    >>> sol.status, list(sol.open), sol.objective
    ('optimal', [1], 5.0)
    >>> sol.assignment["facility"].tolist()
    [1, 1, 1]
    """

    model: str
    status: Status
    open: pd.Index
    assignment: pd.DataFrame
    objective: float
    bound: float
    gap: float
    build_time: float
    solve_time: float
    iterations: int = 1
    message: str = ""
    interrupted: bool = False
    _demand_geo: Any = field(default=None, repr=False)
    _candidate_geo: Any = field(default=None, repr=False)

    @property
    def runtime(self) -> float:
        """Total seconds (``build_time + solve_time``).

        Returns
        -------
        float
            Seconds.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> sol = PMedian.from_cost_matrix(np.eye(2), p=1).solve()
        >>> sol.runtime >= sol.solve_time
        True
        """
        return self.build_time + self.solve_time

    @property
    def has_solution(self) -> bool:
        """Whether a feasible solution is available (status optimal or feasible).

        Returns
        -------
        bool
            True for ``optimal`` and ``feasible``.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> PMedian.from_cost_matrix(np.eye(2), p=1).solve().has_solution
        True
        """
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    def coverage(self) -> tuple[float, float] | None:
        """The weight covered and the total weight, for a coverage model (else None).

        Returns
        -------
        tuple of float or None
            ``(covered, total)`` when :attr:`assignment` has a ``covered`` column
            (:class:`~borderhub.locate.MaxCoverage`, :class:`~borderhub.locate.SetCover`)
            and rows; None otherwise.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import MaxCoverage
        >>> cost = np.array([[1.0, 9.0], [2.0, 9.0], [9.0, 1.0]])
        >>> MaxCoverage.from_cost_matrix(cost, [1, 1, 3], p=1, radius=5).solve().coverage()
        (3.0, 5.0)
        """
        a = self.assignment
        if "covered" not in a.columns or not len(a):
            return None
        covered = float(a.loc[a["covered"].astype(bool), "weight"].sum())
        return covered, float(a["weight"].sum())

    def centre_stats(self) -> pd.DataFrame:
        """Per open centre: the demand it serves, its load and share, mean and longest cost.

        The one definition of a centre's statistics (used by :meth:`facilities`,
        :meth:`summary`, the sweeps and :class:`borderhub.PlanResult`). A centre *serves*
        the demand points assigned to it; in a coverage model
        (:class:`~borderhub.locate.MaxCoverage`, :class:`~borderhub.locate.SetCover`) only
        those it covers (``covered`` true): an uncovered point is listed in
        :attr:`assignment` with its nearest centre but served by none.

        Returns
        -------
        pandas.DataFrame
            Index = open centre labels (name ``facility``, in the order of :attr:`open`);
            columns ``n_demand`` (points served), ``load`` (their weight), ``share``
            (``load`` over the weight of *all* demand points, so in a coverage model the
            shares add up to the covered share), ``mean_cost`` (weight-weighted mean
            travel cost of the points served, the gateway term excluded; NaN without
            load), ``max_cost`` (their longest travel cost) and ``weighted_cost`` (the sum
            of weight x (cost + gateway term): the centre's part of a p-median objective).

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import MaxCoverage
        >>> cost = np.array([[0.0, 9.0], [2.0, 7.0], [9.0, 1.0], [8.0, 6.0]])
        >>> sol = MaxCoverage.from_cost_matrix(cost, [1.0, 1.0, 1.0, 2.0], p=1, radius=3).solve()
        >>> stats = sol.centre_stats()
        >>> stats[["n_demand", "load", "share", "mean_cost"]].round(2).to_dict("records")
        [{'n_demand': 2, 'load': 2.0, 'share': 0.4, 'mean_cost': 1.0}]
        """
        a = self.assignment
        cols = ["n_demand", "load", "share", "mean_cost", "max_cost", "weighted_cost"]
        index = pd.Index(self.open, name="facility")
        if a.empty or not len(index):
            out = pd.DataFrame({c: pd.Series(dtype=float) for c in cols}, index=index[:0])
            out = out.reindex(index)
            out["n_demand"] = 0
            out[["load", "share", "weighted_cost"]] = 0.0
            return out[cols]
        total = float(a["weight"].sum())
        served = a[a["facility"].notna()]
        if "covered" in a.columns:
            served = served[served["covered"].astype(bool)]
        gateway = served["gateway"] if "gateway" in served.columns else 0.0
        tmp = served.assign(
            _wd=served["weight"] * served["cost"],
            _wc=served["weight"] * (served["cost"] + gateway),
        )
        grouped = tmp.groupby("facility", sort=False).agg(
            n_demand=("weight", "size"),
            load=("weight", "sum"),
            _wd=("_wd", "sum"),
            max_cost=("cost", "max"),
            weighted_cost=("_wc", "sum"),
        )
        out = grouped.reindex(index)
        out["n_demand"] = out["n_demand"].fillna(0).astype(int)
        out[["load", "_wd", "weighted_cost"]] = out[["load", "_wd", "weighted_cost"]].fillna(0.0)
        out["share"] = out["load"] / total if total > 0 else 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            out["mean_cost"] = (out["_wd"] / out["load"]).where(out["load"] > 0)
        out["max_cost"] = out["max_cost"].astype(float)
        out.index.name = "facility"
        return out[cols]

    def facilities(self) -> pd.DataFrame:
        """Per open centre: demand points served, weight served, total and largest cost.

        A short form of :meth:`centre_stats` (in a coverage model, a centre serves the
        points it covers).

        Returns
        -------
        pandas.DataFrame
            Index = open centre labels (name ``facility``); columns ``n_demand``,
            ``weight``, ``weighted_cost`` and ``max_cost``.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> cost = np.array([[0.0, 4.0], [3.0, 1.0], [5.0, 0.0]])
        >>> PMedian.from_cost_matrix(cost, p=2).solve().facilities()["n_demand"].tolist()
        [1, 2]
        """
        stats = self.centre_stats().rename(columns={"load": "weight"})
        return stats[["n_demand", "weight", "weighted_cost", "max_cost"]]

    def _names(self) -> pd.Series | None:
        """Display names of the candidates, when the model was built from a frame with them."""
        cand = self._candidate_geo
        if cand is None or "name" not in getattr(cand, "columns", ()):
            return None
        names = cand["name"].astype("string").fillna("")
        return names.where(names.str.len() > 0, pd.Series(cand.index.astype(str), cand.index))

    def summary(self) -> str:
        """A short text report: status, objective and its unit, bound, gap, times, centres.

        The centres are listed with their statistics (:meth:`centre_stats`) and, when the
        model was built from candidates with a ``name`` column, their names. A coverage
        model also reports the weight covered.

        Returns
        -------
        str
            Multi-line report suitable for printing.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> cost = np.array([[0.0, 4.0], [3.0, 1.0], [5.0, 0.0]])
        >>> print(PMedian.from_cost_matrix(cost, p=1).solve().summary())  # doctest: +ELLIPSIS
        PMedian: optimal
          objective 5 (weight x cost), bound 5, gap 0
          1 open centre(s); 3 demand point(s)
          build ... s, solve ... s, 0 solver call(s)
        ...
        """
        unit = _OBJECTIVE_UNITS.get(self.model)
        lines = [
            f"{self.model}: {self.status.value}",
            f"  objective {self.objective:.6g}{f' ({unit})' if unit else ''}, "
            f"bound {self.bound:.6g}, gap {self.gap:.3g}",
            f"  {len(self.open)} open centre(s); {len(self.assignment)} demand point(s)",
            f"  build {self.build_time:.3f} s, solve {self.solve_time:.3f} s, "
            f"{self.iterations} solver call(s)",
        ]
        coverage = self.coverage()
        if coverage is not None:
            covered, total = coverage
            share = f" ({100 * covered / total:.1f} %)" if total > 0 else ""
            lines.append(f"  covered {covered:.6g} of {total:.6g} weight{share}")
        if self.message:
            lines.append(f"  note: {self.message}")
        if len(self.open):
            table = self.centre_stats()
            names = self._names()
            if names is not None:
                table.insert(0, "name", names.reindex(table.index).fillna("").to_numpy())
            lines.append(table.to_string())
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"Solution(model={self.model!r}, status={self.status.value!r}, "
            f"objective={self.objective:.6g}, open={list(self.open)!r})"
        )

    def to_geodataframe(
        self, demand: Any = None, candidates: Any = None, lines: bool = False
    ) -> Any:
        """The assignment as a GeoDataFrame (EPSG:4326).

        Parameters
        ----------
        demand, candidates : GeoDataFrame, optional
            Point geometries of the demand points and candidates, indexed by their labels.
            Default: the frames the model was built from with ``from_geodataframe``.
        lines : bool, default False
            If True, each row's geometry is the straight segment from the demand point to
            its centre (for drawing); otherwise the demand point itself.

        Returns
        -------
        geopandas.GeoDataFrame
            The :attr:`assignment` columns plus ``geometry``, and ``is_open`` (bool) telling
            whether the demand point is itself an open centre.

        Raises
        ------
        SpecificationError
            No geometry is known (model built from a cost matrix and no frames given) or
            the frames lack some labels.

        Examples
        --------
        >>> import geopandas as gpd
        >>> from borderhub.locate import PMedian
        >>> pts = gpd.GeoDataFrame(
        ...     geometry=gpd.points_from_xy([100.0, 100.1, 105.0], [30.0, 30.0, 30.0]),
        ...     index=["a", "b", "c"], crs="EPSG:4326")
        >>> sol = PMedian.from_geodataframe(pts, pts, p=2).solve()
        >>> gdf = sol.to_geodataframe(lines=True)
        >>> gdf.geometry.geom_type.unique().tolist(), gdf.crs.to_epsg()
        (['LineString'], 4326)
        """
        import geopandas as gpd
        from shapely import linestrings

        demand = self._demand_geo if demand is None else demand
        candidates = self._candidate_geo if candidates is None else candidates
        if demand is None or (lines and candidates is None):
            raise SpecificationError(
                "this solution has no geometry (the model was built from a cost matrix); "
                "pass `demand=` (and `candidates=` for lines) GeoDataFrames indexed by the "
                "same labels."
            )
        a = self.assignment
        dem = as_wgs84(demand, "demand")
        missing = a.index.difference(dem.index)
        if len(missing):
            raise SpecificationError(
                f"demand GeoDataFrame lacks labels {list(missing[:10])}; index it by the "
                "model's demand labels."
            )
        geom = dem.geometry.reindex(a.index)
        if lines:
            cand = as_wgs84(candidates, "candidates")
            fac = a["facility"].dropna()
            miss = pd.Index(fac.unique()).difference(cand.index)
            if len(miss):
                raise SpecificationError(
                    f"candidates GeoDataFrame lacks labels {list(miss[:10])}; index it by "
                    "the model's candidate labels."
                )
            x0, y0 = geom.x.to_numpy(), geom.y.to_numpy()
            cg = cand.geometry.reindex(a["facility"].to_numpy())
            x1, y1 = cg.x.to_numpy(), cg.y.to_numpy()
            coords = np.stack([np.c_[x0, y0], np.c_[x1, y1]], axis=1)
            ok = np.isfinite(coords).all(axis=(1, 2))
            geoms = np.full(len(a), None, dtype=object)
            if ok.any():
                geoms[ok] = linestrings(coords[ok])
            geom = gpd.GeoSeries(geoms, index=a.index, crs="EPSG:4326")
        out = gpd.GeoDataFrame(a.copy(), geometry=geom.to_numpy(), crs="EPSG:4326")
        out["is_open"] = out.index.isin(self.open)
        return out


def as_wgs84(frame: Any, role: str) -> Any:
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame | gpd.GeoSeries):
        raise SpecificationError(
            f"`{role}` must be a GeoDataFrame, got {type(frame).__name__}; pass the point "
            "GeoDataFrame indexed by the model's labels"
        )
    if frame.crs is None:
        raise SpecificationError(f"`{role}` has no CRS; set one with `.set_crs(...)`.")
    from borderhub.geo import as_points

    return as_points(frame, role)
