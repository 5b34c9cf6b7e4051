"""The result of a plan: :class:`PlanResult` holds what :func:`run_plan` computed.

Its tables (scores, centres, assignments; routing and loads of a model of partner flows)
are views of the run's data; :meth:`PlanResult.save` (:mod:`borderhub.plan.write`) writes
them. Nothing here solves or samples.

Examples
--------
>>> from borderhub import run_plan
>>> result = run_plan(p=3, provinces="广东")
>>> int(result.centres["n_demand"].sum()) == len(result.demand)
True
"""

from __future__ import annotations

import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SpecificationError
from borderhub.plan.config import PlanConfig
from borderhub.plan.inputs import Inputs, describe_candidates, describe_given
from borderhub.plan.progress import Steps
from borderhub.plan.score import Scored
from borderhub.plan.solve import Solved

__all__ = ["PlanResult"]


@dataclass(eq=False)
class PlanResult:
    """The result of :func:`run_plan`.

    Attributes
    ----------
    config : PlanConfig
        The options of the run.
    candidates, demand : geopandas.GeoDataFrame
        The data the plan worked on (after the province filter), WGS84 points.
    weight : str or None
        The demand weight column (None: every unit weighs 1).
    extras : dict
        Further analyses of the same run: ``"robustness"`` (a
        :class:`~borderhub.robustness.RobustnessResult`) with the ``robustness`` option;
        with ``plots=True`` ``"rank_stability"`` (the table of
        :func:`borderhub.rank_stability`) and ``"cost_curve"`` (the table of
        :func:`borderhub.p_sweep` with its model, title, axis label and the plan's p).
    interrupted : bool
        Ctrl-C stopped the run's solving: the solution is the best found so far (see
        :attr:`Solution.interrupted <borderhub.locate.Solution.interrupted>`) and the
        further analyses (robustness, figures) were skipped; the manifest says so.

    Examples
    --------
    >>> from borderhub import run_plan
    >>> result = run_plan(p=2, provinces="四川,重庆")
    >>> result
    PlanResult(model='pmedian', status='optimal', candidates=2, demand=22)
    >>> int(result.centres["n_demand"].sum()) == len(result.demand)
    True
    """

    config: PlanConfig
    inputs: Inputs = field(repr=False)
    scored: Scored | None = field(repr=False)
    solved: Solved | None = field(repr=False)
    cost: Any = field(repr=False)
    steps: Steps = field(repr=False)
    started: float = field(repr=False)
    extras: dict[str, Any] = field(default_factory=dict, repr=False)
    interrupted: bool = field(default=False)

    def __repr__(self) -> str:
        sol = self.solved.solution if self.solved is not None else None
        status = sol.status.value if sol is not None else "not solved"
        return (
            f"PlanResult(model={self.config.model!r}, status={status!r}, "
            f"candidates={len(self.candidates)}, demand={len(self.demand)})"
        )

    @property
    def candidates(self) -> Any:
        """The candidates the plan worked on (GeoDataFrame, WGS84 points)."""
        return self.inputs.candidates

    @property
    def demand(self) -> Any:
        """The demand units the plan worked on (GeoDataFrame, WGS84 points)."""
        return self.inputs.demand

    @property
    def weight(self) -> str | None:
        """The demand weight column, or None (every unit weighs 1)."""
        return self.inputs.weight

    @property
    def weight_note(self) -> str:
        """A line saying which demand weight was used."""
        return self.inputs.weight_note

    @property
    def load_label(self) -> str:
        """What the centres' ``load`` counts, for printed tables: ``"load (<weight>)"``."""
        what = self.solved.load_what if self.solved is not None else "load"
        return f"{what} ({self.weight})" if self.weight else what

    @property
    def lang(self) -> str:
        """The language of the report and the default title.

        The ``lang`` option, else ``"zh"`` for a study with Chinese headers, else ``"en"``.
        """
        from borderhub.plan.region import study_lang

        return study_lang(self.config, self.inputs) or "en"

    @property
    def map_lang(self) -> str:
        """The language of the maps (Chinese place labels unless English is asked for)."""
        from borderhub.plan.region import study_lang

        return study_lang(self.config, self.inputs) or "zh"

    @property
    def extent(self) -> Any:
        """The maps' extent: the ``extent`` option, else the provinces' outline, else China."""
        from borderhub.plan.region import study_extent

        return study_extent(self.config)

    @property
    def title(self) -> str:
        """The title of the maps and the report.

        The ``title`` option, else ``"borderhub: <model> plan"`` (in Chinese: the region
        and the model).
        """
        from borderhub.plan.region import word

        if self.config.title:
            return self.config.title
        lang, model = self.lang, self.config.model_class().title
        region = "、".join(self.config.provinces) or word("all of China", lang)
        return word("title", lang, region=region, model=model)

    @property
    def required(self) -> list[str]:
        """Labels of the candidates that had to open (the required tiers)."""
        return list(self.solved.required) if self.solved is not None else []

    @property
    def scores(self) -> Any:
        """``scores.csv``: label, name, tiers, rank, score, each criterion and its share.

        Returns
        -------
        pandas.DataFrame
            One row per candidate, best first.

        Raises
        ------
        SpecificationError
            The run did not score (``score=False``).
        """
        scored = self._need_scores()
        cand = self.candidates.loc[scored.table.index]
        out = describe_candidates(cand)
        out["rank"] = scored.table["rank"].astype(int)
        out["score"] = scored.table["score"].astype(float)
        for name in scored.raw.columns:
            out[name] = scored.raw[name].astype(float)
            out[f"{name}_contrib"] = scored.table[f"{name}_contrib"].astype(float)
        return out.sort_values(["rank", "score"], ascending=[True, False], kind="stable")

    @property
    def score_table(self) -> Any:
        """The table of :func:`borderhub.score` behind :attr:`scores` (normalised values)."""
        return self._need_scores().table

    @property
    def solution(self) -> Any:
        """The :class:`~borderhub.locate.Solution` of the location model."""
        return self._need_solution().solution

    @property
    def centres(self) -> Any:
        """``centres.csv``: the chosen centres by load.

        Returns
        -------
        pandas.DataFrame
            Index ``facility``; ``name``, ``plan_name``, ``province``, ``tiers`` (as far as
            the candidates have them), ``required``, ``n_demand`` (units served), ``load``
            (weight served; covered weight in a coverage model), ``share`` (of all
            weight), ``mean_km`` and ``max_km`` (distance to the units served).
        """
        return self._need_solution().centres(self.inputs)

    @property
    def assignments(self) -> Any:
        """``solution.csv``: one row per demand unit and the centre serving it.

        For the ``crossborder`` model, where each (origin, partner) flow has its own
        centre, this is :attr:`routing`.

        Returns
        -------
        pandas.DataFrame
            See :func:`borderhub.io.solution_table`.
        """
        return self._need_solution().assignments(self.inputs)

    @property
    def routing(self) -> Any:
        """``routing.csv`` of a ``crossborder`` plan: each origin-partner flow's route.

        Returns
        -------
        pandas.DataFrame
            Index ``(origin, partner)``; ``origin_name``, ``partner_name``, ``centre``,
            ``centre_name``, ``gateway``, ``gateway_name``, ``mode`` (air, sea, road,
            rail), ``domestic_km``, ``international_cost``, ``cost`` (per piece, in
            truck-km equivalents) and ``flow``.

        Raises
        ------
        SpecificationError
            The plan's model is not ``crossborder``.
        """
        return self._need_solution().routing(self.inputs)

    @property
    def gateway_loads(self) -> Any:
        """``gateway_loads.csv``: flow through each gateway of a ``crossborder`` plan.

        Returns
        -------
        pandas.DataFrame
            Index ``gateway``; ``name``, ``mode``, ``flow``, ``share``, ``commodities``
            and ``cost`` (flow-weighted total), largest flow first.
        """
        return self._need_solution().loads(self.inputs, "gateway")

    @property
    def partner_loads(self) -> Any:
        """``partner_loads.csv``: flow to each partner hub of a ``crossborder`` plan.

        Returns
        -------
        pandas.DataFrame
            Index ``partner``; ``name``, ``country``, ``flow``, ``share``,
            ``commodities`` and ``cost``, largest flow first.
        """
        return self._need_solution().loads(self.inputs, "partner")

    @property
    def robustness(self) -> Any:
        """The :class:`~borderhub.robustness.RobustnessResult` of the ``robustness`` option.

        Raises
        ------
        SpecificationError
            The run had no ``robustness`` option.
        """
        if "robustness" not in self.extras:
            raise SpecificationError("this run counted no robustness; run with robustness=N")
        return self.extras["robustness"]

    @property
    def manifest(self) -> dict[str, Any]:
        """What ``manifest.json`` records (without the hashes of the files written).

        Returns
        -------
        dict
            ``command``, ``parameters``, ``inputs``, ``data``, ``scoring``, ``model``,
            ``solver``, ``result``, ``timings`` ... as far as the run computed them.
        """
        return self._manifest(None, plots={})

    def _need_scores(self) -> Scored:
        if self.scored is None:
            raise SpecificationError("this run did not score the candidates; run with score=True")
        return self.scored

    def _need_solution(self) -> Solved:
        if self.solved is None:
            raise SpecificationError("this run did not solve a model; run with solve=True")
        return self.solved

    def summary(self, *, top: int = 20) -> str:
        """What ``borderhub plan``, ``solve`` and ``score`` print about the run.

        Parameters
        ----------
        top : int, default 20
            Rows of the ranking shown by a run that scored without solving.

        Returns
        -------
        str
            The model, data, status and the chosen centres by load (with their score rank
            when the run scored too); for a run that only scored, the ranking.

        Examples
        --------
        >>> from borderhub import run_plan
        >>> print(run_plan(p=2, provinces="海南").summary())  # doctest: +ELLIPSIS
        p-median (p=2) over 19 demand units and 2 candidates
        ...
        """
        if self.solved is None:
            scored, scores = self._need_scores(), self.scores
            show = scores[[c for c in ("name", "tiers", "rank", "score") if c in scores.columns]]
            return (
                f"{scored.method} scores of {len(scores)} candidates on "
                f"{len(scored.raw.columns)} criteria (rank 1 = best)\n"
                + _table_text(show.head(top).round({"score": 4}))
            )
        sol, config = self.solution, self.config
        shown = [
            f"{key}={value}" if isinstance(value, int | float) else f"{key}=column {value}"
            for key, value in config.params().items()
        ]
        lines = [
            f"{config.model_class().title} ({', '.join(shown) or 'no parameters'}) over "
            f"{len(self.demand)} demand units and {len(self.candidates)} candidates",
            self.weight_note,
        ]
        if self.required:
            lines.append(f"required centres (--required-tiers): {len(self.required)}")
        lines.append(
            f"status {sol.status.value}; objective {sol.objective:.6g}, bound {sol.bound:.6g}, "
            f"gap {sol.gap:.3g}; build {sol.build_time:.2f} s, solve {sol.solve_time:.2f} s"
        )
        coverage = sol.coverage()
        if coverage is not None:
            covered, total = coverage
            share = f" ({100 * covered / total:.1f} %)" if total > 0 else ""
            lines.append(f"covered {covered:.6g} of {total:.6g}{share} within {config.radius:g} km")
        if sol.message:
            lines.append(f"note: {sol.message}")
        if len(sol.open):
            lines += ["", f"chosen centres ({len(sol.open)}), by load:", self._centres_text()]
        return "\n".join(lines)

    def _centres_text(self) -> str:
        show = self.centres.copy()
        if self.scored is not None:
            ranks = self.score_table["rank"].reindex(show.index).astype("Int64")
            show.insert(0, "score_rank", ranks)
        show["share"] = (100 * show["share"]).round(1)
        show["load"] = show["load"].round(3)
        show["mean_km"] = show["mean_km"].round(0).astype("Int64")
        show["max_km"] = show["max_km"].round(0).astype("Int64")
        drop = ["plan_name", "province"] + ([] if self.required else ["required"])
        show = show.drop(columns=[c for c in drop if c in show.columns])
        unit = self.load_label
        show = show.rename(columns={"share": "share %", "n_demand": "units", "load": unit})
        show = show.reset_index().rename(
            columns={"facility": self.candidates.index.name or "label"}
        )
        return _table_text(show, index=False)

    def _corridors(self) -> Any:
        """The plan's corridors, keeping only origins present among candidates or demand.

        None with distances along a network: the corridors are straight arcs, and a map
        whose flows follow their routes draws no straight corridors beside them.
        """
        from borderhub import datasets

        corridors = datasets.corridors()
        if self.config.distance != "geodesic":
            return corridors.iloc[:0]
        if getattr(self.solved, "partners", None) is not None:  # a routed plan's own partners
            hubs = set(map(str, self.solved.partners.index))  # type: ignore[union-attr]
            ends = corridors["partners"].fillna("").astype(str)
            ends = ends.map(lambda s: ";".join(k for k in s.split(";") if k in hubs))
            corridors = corridors.assign(partners=ends)[ends != ""]
        bundled = self.inputs.bundled_candidates and self.inputs.bundled_demand
        if bundled and not self.config.provinces:
            return corridors
        known = set(map(str, self.candidates.index)) | set(map(str, self.demand.index))
        origins = corridors["origin"].fillna("").astype(str)
        kept = origins.map(lambda s: ";".join(o for o in s.split(";") if o in known))
        corridors = corridors.assign(origin=kept)
        return corridors[kept != ""]

    def _map_solution(self) -> Any:
        if self.solved is None:
            return self.inputs.drawn_solution
        return self.solved.map_solution()

    def _map_scores(self) -> Any:
        return self.scored.table if self.scored is not None else self.inputs.drawn_scores

    def map(self, **kw: Any) -> Any:
        """The corridor map of the plan (:func:`borderhub.corridor_map`).

        Parameters
        ----------
        **kw
            Arguments of :func:`borderhub.corridor_map` replacing the plan's (``tiles``,
            ``lang``, ``title``, ``solution``, ``scores`` ...).

        Returns
        -------
        folium.Map
            ``.save("map.html")`` writes the page.
        """
        from borderhub import maps

        args: dict[str, Any] = {
            "candidates": self.candidates,
            "solution": self._map_solution(),
            "partners": _own_partners(self.solved),
            "corridors": self._corridors(),
            "scores": self._map_scores(),
            "tiles": None if self.config.tiles == "none" else self.config.tiles,
            "self_contained": True,
            "title": self.title,
            "lang": self.map_lang,
            "demand": self.demand,
            "extent": self.extent,
            "flows": self.solved.map_flows(self.inputs) if self.solved is not None else None,
        }
        args.update(kw)
        fmap = maps.corridor_map(**args)
        if self.solved is not None:
            self.solved.add_map_layers(fmap, self.inputs)
        return fmap

    def static_map(self, *, world: bool = False, **kw: Any) -> Any:
        """The static map of the plan (:func:`borderhub.plots.plot_static_map`) for print.

        Without a font with Chinese glyphs, places are labelled by their labels in English.

        Parameters
        ----------
        world : bool, default False
            Also draw the partner hubs and corridor arcs (a world view); by default the
            map shows China at the scale of the solution.
        **kw
            Arguments of :func:`borderhub.static_map` replacing the plan's.

        Returns
        -------
        matplotlib.axes.Axes
            ``.figure.savefig(...)`` saves it.
        """
        from borderhub import plots
        from borderhub._fonts import cjk_family

        candidates = self.candidates
        lang = self.map_lang
        if cjk_family() is None:
            candidates = candidates.copy()
            candidates["name"] = [str(k) for k in candidates.index]
            lang = "en"
        partners = _own_partners(self.solved)
        corridors = self._corridors()
        if not world:
            partners, corridors = partners.iloc[:0], corridors.iloc[:0]
        args: dict[str, Any] = {
            "candidates": candidates,
            "solution": self._map_solution(),
            "partners": partners,
            "corridors": corridors,
            "scores": None,
            "title": self.title,
            "lang": lang,
            "demand": self.demand,
            "extent": self.extent,
        }
        flows = self.solved.map_flows(self.inputs) if self.solved is not None else None
        if flows is not None:  # routed flows need the partner hubs they go to
            args.update(flows=flows, partners=getattr(self.solved, "partners", None))
        args.update(kw)
        return plots.plot_static_map(**args)

    def save(
        self,
        out: str | Path,
        plots: bool | None = None,
        *,
        argv: Sequence[str] | None = None,
        force: bool = False,
        neutralise: bool = True,
    ) -> list[str]:
        """Write the files of ``borderhub plan`` into ``out`` and return their names.

        ``scores.csv``, ``solution.csv``, ``centres.csv``, ``solution.geojson`` (centres and
        demand units as points), ``allocations.geojson`` (a line from each demand unit to
        its centre), ``map.html``, ``report.html`` (one self-contained page with the map,
        the tables, the plots, the assumptions and the data caveats;
        :func:`borderhub.report.write_report`) and ``manifest.json`` (versions, input
        hashes, options, solver, status, objective, gap, timings, output hashes); with
        ``plots`` also ``map.png``, ``rank_stability.png``, ``cost_curve.png`` and
        ``cost_curve.csv`` (a run with ``plots=True`` computed what they show). A
        ``crossborder`` plan writes ``routing.csv``,
        ``gateway_loads.csv`` and ``partner_loads.csv`` in place of ``solution.csv`` and
        the two GeoJSON files (its flows have no single centre per demand unit) and draws
        the flows on the map; with ``robustness`` a plan adds ``robustness.csv``,
        ``robustness_sets.csv``, ``robustness_draws.csv`` and, with ``plots``,
        ``robustness.png``. The same inputs give byte-identical files (except the timings
        in the manifest).

        The files are saved as one set (:class:`borderhub.io.ResultWriter`): they are
        written beside ``out`` and moved into place in one step, so ``out`` holds the
        complete earlier set or the complete new one, never a mix -- also when the save
        fails or the process is killed. The manifest's hashes are those of the bytes
        written; nothing is written through a symbolic link; the files an earlier plan
        wrote in ``out`` (those its manifest lists) are removed, other files kept. A
        non-empty folder without a borderhub manifest, or a file of the user's with the
        name of an output, is refused unless ``force=True``. Text cells of the CSV files
        that a spreadsheet would run as formulas are prefixed with ``'``
        (:func:`borderhub.io.neutralise_formulas`) unless ``neutralise=False``.

        Parameters
        ----------
        out : str or pathlib.Path
            Directory (created if needed).
        plots : bool, optional
            Also draw the PNG figures (default: the run's ``plots`` option). The figures
            of a full plan show what the run computed: ``plots=True`` here needs a run
            with ``plots=True``.
        argv : sequence of str, optional
            The command line, recorded in the manifest.
        force : bool, default False
            Write into a non-empty folder that no borderhub run wrote, replacing files of
            the user's that have the name of an output (the command line's ``--force``).
        neutralise : bool, default True
            Neutralise formula-like CSV cells (``False``: write them as they are; the
            command line's ``--keep-formulas``).

        Returns
        -------
        list of str
            Names of the files written, ``manifest.json`` last.

        Raises
        ------
        OutputError
            ``out`` is a file or a symbolic link, not writable, a folder of someone else's
            (without ``force``), or a write failed (the message names the file; ``out``
            keeps the earlier results).
        SpecificationError
            ``plots=True`` for a full plan whose run did not compute the figures' analyses.
        """
        from borderhub.plan.write import save

        draw = self.config.plots if plots is None else plots
        return save(self, Path(out), draw, argv, force=force, neutralise=neutralise)

    def _command(self) -> str:
        """Which command's files the run makes: plan, score, solve, or map (neither)."""
        if self.scored is not None and self.solved is not None:
            return "plan"
        if self.scored is not None:
            return "score"
        return "solve" if self.solved is not None else "map"

    def _parameters(self, out: str | None, plots: bool | None) -> dict[str, Any]:
        given = self.inputs.given
        params = self.config.options()
        params["candidates"] = describe_given(given["candidates"])
        params["demand"] = describe_given(given["demand"])
        if self._command() == "map":  # the options of `borderhub map`
            params["solution"] = params.pop("solution_file", None)
            params["scores"] = params.pop("scores_file", None)
        if out is not None:
            params["out"] = out
        if plots is not None:
            params["plots"] = plots
        return dict(sorted(params.items()))

    def _manifest(
        self,
        argv: Sequence[str] | None,
        plots: dict[str, Any],
        out: str | None = None,
        plotted: bool | None = None,
    ) -> dict[str, Any]:
        from borderhub._version import version

        scored, solved = self.scored, self.solved
        command = self._command()
        content: dict[str, Any] = {
            "borderhub": version(),
            "python": platform.python_version(),
            "platform": f"{platform.system()}-{platform.machine()}",
            "dependencies": _versions(),
            "command": command,
            "argv": list(argv) if argv is not None else None,
            "interrupted": self.interrupted,
            "parameters": self._parameters(out, plotted),
            "inputs": self.inputs.sources,
        }
        if command == "plan":
            weight = self.weight
            content["data"] = {
                "candidates": len(self.candidates),
                "demand": len(self.demand),
                "weight": weight,
                "total_weight": float(self.demand[weight].sum())
                if weight
                else float(len(self.demand)),
            }
        if self.cost is not None and self.cost.attrs.get("distance"):
            attrs = self.cost.attrs
            content["distances"] = {
                k: attrs[k]
                for k in ("distance", "network", "licence", "fallback_pairs")
                if k in attrs
            }
        if scored is not None:
            content["scoring"] = {
                "method": scored.method,
                "weights": scored.weights,
                "directions": scored.directions,
                "skipped": scored.skipped,
                "missing": scored.missing,
                "estimated": scored.estimated,
            }
        if solved is not None:
            sol = solved.solution
            params = {
                k: (v if np.isscalar(v) else "per-candidate column")
                for k, v in solved.params.items()
            }
            content["model"] = {
                "name": self.config.model,
                "class": sol.model,
                "params": params,
                "required": solved.required,
                "gateway": solved.gateway is not None,
            }
            content["solver"] = _solver_info(self.config.solver)
            content["result"] = {
                "status": sol.status.value,
                "objective": sol.objective,
                "bound": sol.bound,
                "gap": sol.gap,
                "open": [str(k) for k in sol.open],
                "iterations": sol.iterations,
                "message": sol.message,
                "build_time": sol.build_time,
                "solve_time": sol.solve_time,
            }
            content.update(solved.manifest_entries())
        if "robustness" in self.extras:
            content["robustness"] = self.extras["robustness"].manifest()
        if command == "plan":
            content["plots"] = plots
        content["timings"] = {k: round(v, 4) for k, v in self.steps.timings.items()}
        return content


def _own_partners(solved: Any) -> Any:
    """The partner hubs of a routed plan (its own table), else the bundled ones."""
    from borderhub import datasets

    partners = getattr(solved, "partners", None)
    return partners if partners is not None else datasets.partners()


def _table_text(frame: Any, index: bool = True) -> str:
    display = {"unicode.east_asian_width": True, "width": 200, "max_columns": 50, "max_rows": 500}
    with pd.option_context(*(x for k, v in display.items() for x in ("display." + k, v))):  # type: ignore[arg-type]
        return str(frame.to_string(index=index))


def _versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for package in (
        "numpy",
        "pandas",
        "geopandas",
        "shapely",
        "pyproj",
        "pulp",
        "highspy",
        "folium",
        "matplotlib",
    ):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out


def _solver_info(name: str) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    key = name.strip().lower()
    info: dict[str, Any] = {"name": name}
    try:
        if key in ("highs", "highspy", "highs_cmd"):
            info.update(interface="highspy", version=version("highspy"))
        else:
            info.update(interface="pulp", version=version("pulp"))
    except PackageNotFoundError:
        info["version"] = None
    return info
