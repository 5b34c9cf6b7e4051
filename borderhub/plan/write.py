"""Writing a plan: :meth:`PlanResult.save` -- every file of ``borderhub plan``, and only that.

All of a plan's writing happens here: the CSV tables and GeoJSON files, ``map.html``, the
PNG figures, ``report.html`` and ``manifest.json``. Nothing is computed anew: the figures
draw the analyses the run computed (``run_plan(..., plots=True)``).

Examples
--------
>>> import tempfile
>>> from borderhub import run_plan
>>> written = run_plan(p=2, provinces="海南").save(tempfile.mkdtemp())
>>> written[:3], written[-1]
(['scores.csv', 'solution.csv', 'centres.csv'], 'manifest.json')
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from borderhub._native import native_stdout_elsewhere
from borderhub.exceptions import DataError, SpecificationError
from borderhub.plan.inputs import describe_candidates, sha256

if TYPE_CHECKING:  # pragma: no cover
    from borderhub.plan.result import PlanResult

__all__ = ["OUTPUTS"]

#: Every file a plan can write, in the order written (``manifest.json`` last).
OUTPUTS = (
    "scores.csv",
    "solution.csv",
    "centres.csv",
    "solution.geojson",
    "allocations.geojson",
    "map.html",
    "map.png",
    "rank_stability.png",
    "cost_curve.png",
    "cost_curve.csv",
    "routing.csv",
    "gateway_loads.csv",
    "partner_loads.csv",
    "robustness.csv",
    "robustness_sets.csv",
    "robustness_draws.csv",
    "robustness.png",
    "report.html",
)


#: Caption of the static map among the figures of a plan (the report prints it in place of
#: the interactive map).
_STATIC_MAP = "Static map of the plan"


def save(result: PlanResult, folder: Path, plots: bool, argv: Sequence[str] | None) -> list[str]:
    """Write the files of the run into ``folder``; see :meth:`PlanResult.save`."""
    from borderhub.io import json_text

    if folder.exists() and not folder.is_dir():
        raise DataError(f"--out {folder} exists and is not a directory; choose another path")
    steps, command = result.steps, result._command()
    figures_due = plots and command == "plan" and result.solution.has_solution
    if figures_due and "rank_stability" not in result.extras:
        raise SpecificationError(
            "save(plots=True) draws the analyses of the run (cost curve, rank stability); "
            "run with plots=True, e.g. run_plan(..., plots=True).save(out)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    if command != "map":
        with steps.step("write", f"writing results to {folder}"):
            written += _write_tables(result, folder, command)
    fmap = None
    if command in ("plan", "map"):
        with steps.step("map", "drawing the corridor map"):
            fmap = result.map()
            fmap.save(str(folder / "map.html"))
        written.append("map.html")
    plot_info: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    if plots and command == "map":
        with steps.step("plots", "drawing the static map"):
            ax = result.static_map(world=True, scores=result.inputs.drawn_scores)
            _save_figure(ax.figure, folder / "map.png")
        written.append("map.png")
    elif figures_due:
        plot_info = _plots(result, folder, figures)
        drawn = plot_info.pop("files")
        written += [name for name in OUTPUTS if name in drawn]
    try:
        if command == "plan":
            with steps.step("report", "writing report.html"):
                _write_report(result, folder / "report.html", fmap, figures)
            written.append("report.html")
    finally:
        for fig in figures.values():
            _close_figure(fig)
    steps.timings["total"] = time.perf_counter() - result.started
    manifest = result._manifest(argv, plot_info, str(folder), bool(plots))
    # the files of this run (not those an earlier run left in the folder)
    names = [name for name in OUTPUTS if name in written]
    manifest["outputs"] = {name: sha256(folder / name) for name in names}
    (folder / "manifest.json").write_text(json_text(manifest, indent=2) + "\n", encoding="utf-8")
    return [*names, "manifest.json"]


def _write_tables(result: PlanResult, folder: Path, command: str) -> list[str]:
    """The CSV tables and GeoJSON files of the run; returns their names."""
    from borderhub.io import write_geojson, write_table

    tables: dict[str, Any] = {}
    geo: dict[str, Any] = {}
    if result.scored is not None:
        tables["scores.csv"] = result.scores
    if result.solved is not None:
        solved = result.solved.tables(result.inputs)
        tables.update(solved)
        geo = result.solved.geo_tables(result.inputs, solved)
    if "robustness" in result.extras and command == "plan":
        rob = result.extras["robustness"]
        # wall-clock seconds per draw go to the manifest, not into the CSV
        tables["robustness.csv"] = rob.to_frame()
        tables["robustness_sets.csv"] = rob.sets
        tables["robustness_draws.csv"] = rob.draws.drop(
            columns=[c for c in ("seconds",) if c in rob.draws]
        )
    for name, frame in tables.items():
        write_table(frame, folder / name)
    for name, frame in geo.items():
        write_geojson(frame, folder / name)
    return [*tables, *geo]


def _plots(result: PlanResult, folder: Path, figures: dict[str, Any]) -> dict[str, Any]:
    """The PNG figures; returns what the manifest records (and ``files``, the names).

    The figures stay open in ``figures`` (caption -> Figure) for the report.
    """
    info: dict[str, Any] = {"files": []}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with native_stdout_elsewhere():
            _draw_plots(result, folder, info, figures)
    if any("font" in str(w.message) or "Glyph" in str(w.message) for w in caught):
        result.steps.note(
            "matplotlib has no font with Chinese glyphs (install e.g. fonts-noto-cjk and "
            "clear matplotlib's font cache); the PNGs show English text or boxes for "
            "Chinese names"
        )
    return info


def _draw_plots(
    result: PlanResult, folder: Path, info: dict[str, Any], figures: dict[str, Any]
) -> None:
    """Draw what the run computed: static map, robustness, rank stability, cost curve."""
    from borderhub import plots
    from borderhub.io import write_table

    steps, extras = result.steps, result.extras
    files: list[str] = info["files"]

    def save(fig: Any, name: str, caption: str) -> None:
        fig.savefig(folder / name, dpi=120, bbox_inches="tight", metadata={"Software": None})
        figures[caption] = fig
        files.append(name)

    with steps.step("plots", "drawing the static map"):
        # the solution at the scale of China: no partner hubs or corridor arcs (map.html
        # has them), which would stretch the view to the whole world
        save(result.static_map().figure, "map.png", _STATIC_MAP)
    if "robustness" in extras:
        with steps.step("plots", "robustness: selection frequency and regret"):
            save(
                extras["robustness"].plot(),
                "robustness.png",
                "Selection frequency of each candidate over the demand draws, and the "
                "nominal plan's regret",
            )
    if "rank_stability" in extras:
        stability = extras["rank_stability"]
        with steps.step("plots", "drawing the rank stability of the scores"):
            names = describe_candidates(result.candidates)["name"]
            ax = plots.plot_rank_stability(stability["table"], names=names)
            save(
                ax.figure,
                "rank_stability.png",
                f"Rank stability of the scores over {stability['n']:,} draws of the criterion "
                "weights",
            )
        info["rank_stability"] = {k: stability[k] for k in ("n", "spread", "seed")}
    if "cost_curve" not in extras:
        return
    curve = extras["cost_curve"]
    table = curve["table"]
    with steps.step("plots", f"drawing the cost against p = {curve['p'][0]}..{curve['p'][-1]}"):
        ax = plots.plot_cost_curve(
            table, mark=curve["mark"], ylabel=curve["ylabel"], label=curve["title"]
        )
        save(ax.figure, "cost_curve.png", f"{curve['title']}: cost against p")
        # wall-clock times vary from run to run: they go to the manifest, not into the
        # CSV, so that the same inputs give a byte-identical cost_curve.csv
        timing = [c for c in ("build_time", "solve_time") if c in table.columns]
        write_table(table.drop(columns=timing).set_index("p"), folder / "cost_curve.csv")
        files.append("cost_curve.csv")
    info["cost_curve"] = {"model": curve["model"], "p": curve["p"]}
    for column in timing:
        info["cost_curve"][column] = round(float(table[column].sum()), 6)


def _write_report(result: PlanResult, path: Path, fmap: Any, figures: dict[str, Any]) -> None:
    """report.html: map, centres, ranking, plots, assumptions and data caveats."""
    from borderhub.report import estimate_caveats, grade_caveats, write_report

    sol, config, solved = result.solution, result.config, result._need_solution()
    params = ", ".join(f"{k}={v!s}" for k, v in solved.params.items() if np.isscalar(v))
    summary = (
        f"{config.model_class().title} ({params or 'per-candidate costs'}) over "
        f"{len(result.demand)} demand units and {len(result.candidates)} candidates: "
        f"{len(sol.open)} centres chosen; status {sol.status.value}, objective "
        f"{sol.objective:.6g}, gap {sol.gap:.3g}. {result.weight_note}."
    )
    scores = result.scores
    ranking = scores[[c for c in scores.columns if not str(c).endswith("_contrib")]]
    tables: dict[str, Any] = {}
    tables.update(solved.report_tables(result.inputs))
    if "robustness" in result.extras:
        rob = result.extras["robustness"]
        tables[f"Robustness: selection frequency over {rob.n} demand draws"] = rob.to_frame()
    assumptions: dict[str, Any] = {
        "model": config.model_class().title,
        "parameters": params or "none",
        "required tiers": ", ".join(t.name for t in config.required_tiers) or "none",
        "demand weight": result.weight or "none (every unit weighs 1)",
        "scoring": f"{result.scored.method} with weights {config.weights}"
        if result.scored is not None
        else "not scored",
        "missing criterion values": f"nan_policy {config.nan_policy!r}",
        "solver": config.solver,
    }
    for key, value in sorted(getattr(sol, "assumptions", {}).items()):
        assumptions[f"cross-border: {key}"] = value
    if "robustness" in result.extras:
        rob = result.extras["robustness"]
        assumptions["robustness draws"] = f"{rob.n} (seed {rob.seed})"
    caveats: list[str] = []
    missing = result.scored.missing if result.scored is not None else {}
    if missing:
        names = describe_candidates(result.candidates)["name"].reindex(list(missing))
        caveats.append(
            f"{len(missing)} of {len(result.candidates)} candidates lack a criterion value "
            f"({', '.join(sorted(set(missing.values())))}) and were scored with nan_policy "
            f"{config.nan_policy!r}: " + ", ".join(map(str, names))
        )
    if result.scored is not None and result.scored.skipped:
        caveats.append("criteria skipped for lack of data: " + ", ".join(result.scored.skipped))
    for criterion, labels in (result.scored.estimated if result.scored is not None else {}).items():
        names = describe_candidates(result.candidates)["name"].reindex(labels)
        caveats.append(
            f"{criterion}: for {len(labels)} of {len(result.candidates)} candidates the nearest "
            "port has no sourced point of its own (its county's admin centre stands in), so "
            "the value is an estimate: " + ", ".join(map(str, names))
        )
    for role, frame in (("candidates", result.candidates), ("demand units", result.demand)):
        caveats += [f"{role}: {text}" for text in estimate_caveats(frame).values()]
        caveats += [f"{role}: {text}" for text in grade_caveats(frame).values()]
    caveats += _own_figures_caveats(result.inputs.sources.get("figures"))
    static = figures.get(_STATIC_MAP)
    write_report(
        path,
        title=result.title,
        map=fmap,
        static_figure=static,
        ranking=ranking,
        centres=result.centres,
        figures={k: v for k, v in figures.items() if k != _STATIC_MAP} or None,
        assumptions=assumptions,
        caveats=caveats,
        tables=tables,
        summary=summary,
        figure_format="png",
    )


def _own_figures_caveats(provenance: dict[str, Any] | None) -> list[str]:
    """The report's lines on the user's own figures: each with its source and grade."""
    if not provenance:
        return []
    lines = [
        f"own figures: {f['place']} {f['quantity']} {f['value']:g} {f['unit']} "
        f"({f['period']}; {f['grade']} grade; source: {f['source']})"
        for f in provenance["figures"]
    ]
    if provenance["refitted"]:
        lines.append(
            "the estimates of "
            + ", ".join(f"{p} (x{x:.3g})" for p, x in sorted(provenance["refitted"].items()))
            + " were rescaled so that each province total still holds around these figures"
        )
    return lines


def _save_figure(fig: Any, path: Path) -> None:
    fig.savefig(path, dpi=120, bbox_inches="tight", metadata={"Software": None})
    _close_figure(fig)


def _close_figure(fig: Any) -> None:
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # noqa: BLE001 - a figure not managed by pyplot
        pass
