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

import io
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from borderhub._native import native_stdout_elsewhere
from borderhub.exceptions import SpecificationError
from borderhub.plan.inputs import describe_candidates

if TYPE_CHECKING:  # pragma: no cover
    from borderhub.plan.result import PlanResult

__all__ = ["OUTPUTS", "MANIFEST", "check_save_folder"]

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


#: The file that lists the outputs with their SHA-256, written last.
MANIFEST = "manifest.json"

#: Caption of the static map among the figures of a plan (the report prints it in place of
#: the interactive map).
_STATIC_MAP = "Static map of the plan"


def check_save_folder(out: str | Path, *, force: bool = False) -> Path:
    """Check, before any work, that a plan can be saved into ``out``.

    :func:`borderhub.io.check_output_dir` with the names a plan may write: the command
    line calls it before it reads, scores or solves anything, so a bad ``--out`` costs no
    solve. :meth:`PlanResult.save` checks again.

    Parameters
    ----------
    out : str or pathlib.Path
        The folder (created when saved if it does not exist).
    force : bool, default False
        As for :meth:`PlanResult.save`.

    Returns
    -------
    pathlib.Path
        ``out`` as an absolute path.

    Raises
    ------
    OutputError
        ``out`` is a symbolic link or a file, not writable, or a non-empty folder of
        someone else's (without ``force``), or holds a file of the user's with the name
        of an output.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub.plan import check_save_folder
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (base / "scores.csv").write_text("mine")
    >>> try:
    ...     check_save_folder(base)
    ... except OSError as err:
    ...     print(type(err).__name__)
    OutputError
    >>> check_save_folder(base, force=True) == base
    True
    """
    from borderhub.io import check_output_dir

    return check_output_dir(out, overwrite=force, names=(*OUTPUTS, MANIFEST))


def save(
    result: PlanResult,
    folder: Path,
    plots: bool,
    argv: Sequence[str] | None,
    force: bool = False,
    neutralise: bool = True,
) -> list[str]:
    """Write the files of the run into ``folder`` as one set; see :meth:`PlanResult.save`."""
    from borderhub.io import ResultWriter, json_text

    steps, command = result.steps, result._command()
    figures_due = plots and command == "plan" and result.solution.has_solution
    if figures_due and "rank_stability" not in result.extras:
        raise SpecificationError(
            "save(plots=True) draws the analyses of the run (cost curve, rank stability); "
            "run with plots=True, e.g. run_plan(..., plots=True).save(out)"
        )
    # checked before anything is drawn: a link, a file, someone else's folder
    with ResultWriter(folder, overwrite=force, names=(*OUTPUTS, MANIFEST)) as writer:
        written = _write_all(result, writer, plots, figures_due, neutralise)
        steps.timings["total"] = time.perf_counter() - result.started
        manifest = result._manifest(argv, written.pop("plots"), str(folder), bool(plots))
        # the files of this run, hashed from the bytes written (not read back)
        names = [name for name in OUTPUTS if name in writer.hashes]
        manifest["outputs"] = {name: writer.hashes[name] for name in names}
        manifest["neutralise_formulas"] = bool(neutralise)
        writer.write_text(MANIFEST, json_text(manifest, indent=2) + "\n")
        writer.commit()
    return [*names, MANIFEST]


def _write_all(
    result: PlanResult, writer: Any, plots: bool, figures_due: bool, neutralise: bool
) -> dict[str, Any]:
    """Every file but the manifest, into the writer; returns what the manifest records."""
    steps, command = result.steps, result._command()
    if command != "map":
        with steps.step("write", f"writing results to {writer.given}"):
            _write_tables(result, writer, command, neutralise)
    fmap = None
    if command in ("plan", "map"):
        with steps.step("map", "drawing the corridor map"):
            fmap = result.map()
            writer.write_text("map.html", fmap.get_root().render())
    plot_info: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    try:
        if plots and command == "map":
            with steps.step("plots", "drawing the static map"):
                ax = result.static_map(world=True, scores=result.inputs.drawn_scores)
                figures[_STATIC_MAP] = ax.figure
                writer.write_bytes("map.png", _png(ax.figure))
        elif figures_due:
            plot_info = _plots(result, writer, figures, neutralise)
        if command == "plan":
            with steps.step("report", "writing report.html"):
                writer.write_text("report.html", _report_text(result, fmap, figures))
    finally:
        for fig in figures.values():
            _close_figure(fig)
    return {"plots": plot_info}


def _write_tables(result: PlanResult, writer: Any, command: str, neutralise: bool) -> list[str]:
    """The CSV tables and GeoJSON files of the run; returns their names."""
    from borderhub.io import csv_text, geojson_text

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
        writer.write_text(name, csv_text(frame, neutralise=neutralise))
    for name, frame in geo.items():
        writer.write_text(name, geojson_text(frame))
    return [*tables, *geo]


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _plots(
    result: PlanResult, writer: Any, figures: dict[str, Any], neutralise: bool
) -> dict[str, Any]:
    """The PNG figures (and ``cost_curve.csv``); returns what the manifest records.

    The figures stay open in ``figures`` (caption -> Figure) for the report.
    """
    info: dict[str, Any] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with native_stdout_elsewhere():
            _draw_plots(result, writer, info, figures, neutralise)
    if any("font" in str(w.message) or "Glyph" in str(w.message) for w in caught):
        result.steps.note(
            "matplotlib has no font with Chinese glyphs (install e.g. fonts-noto-cjk and "
            "clear matplotlib's font cache); the PNGs show English text or boxes for "
            "Chinese names"
        )
    return info


def _draw_plots(
    result: PlanResult,
    writer: Any,
    info: dict[str, Any],
    figures: dict[str, Any],
    neutralise: bool,
) -> None:
    """Draw what the run computed: static map, robustness, rank stability, cost curve."""
    from borderhub import plots
    from borderhub.io import csv_text
    from borderhub.plan.region import word

    steps, extras, lang = result.steps, result.extras, result.lang

    def save(fig: Any, name: str, caption: str) -> None:
        figures[caption] = fig
        writer.write_bytes(name, _png(fig))

    with steps.step("plots", "drawing the static map"):
        # the solution at the scale of China: no partner hubs or corridor arcs (map.html
        # has them), which would stretch the view to the whole world
        save(result.static_map().figure, "map.png", _STATIC_MAP)
    if "robustness" in extras:
        with steps.step("plots", "robustness: selection frequency and regret"):
            save(extras["robustness"].plot(), "robustness.png", word("robustness figure", lang))
    if "rank_stability" in extras:
        stability = extras["rank_stability"]
        with steps.step("plots", "drawing the rank stability of the scores"):
            names = describe_candidates(result.candidates)["name"]
            ax = plots.plot_rank_stability(stability["table"], names=names)
            save(ax.figure, "rank_stability.png", word("rank stability", lang, n=stability["n"]))
        info["rank_stability"] = {k: stability[k] for k in ("n", "spread", "seed")}
    if "cost_curve" not in extras:
        return
    curve = extras["cost_curve"]
    table = curve["table"]
    with steps.step("plots", f"drawing the cost against p = {curve['p'][0]}..{curve['p'][-1]}"):
        ax = plots.plot_cost_curve(
            table, mark=curve["mark"], ylabel=curve["ylabel"], label=curve["title"]
        )
        save(ax.figure, "cost_curve.png", word("cost curve", lang, title=curve["title"]))
        # wall-clock times vary from run to run: they go to the manifest, not into the
        # CSV, so that the same inputs give a byte-identical cost_curve.csv
        timing = [c for c in ("build_time", "solve_time") if c in table.columns]
        curve_table = table.drop(columns=timing).set_index("p")
        writer.write_text("cost_curve.csv", csv_text(curve_table, neutralise=neutralise))
    info["cost_curve"] = {"model": curve["model"], "p": curve["p"]}
    for column in timing:
        info["cost_curve"][column] = round(float(table[column].sum()), 6)


def _report_text(result: PlanResult, fmap: Any, figures: dict[str, Any]) -> str:
    """report.html: map, centres, ranking, plots, assumptions and data caveats."""
    from borderhub.plan.region import word
    from borderhub.report import estimate_caveats, grade_caveats, render_report

    sol, config, solved = result.solution, result.config, result._need_solution()
    lang = result.lang
    params = ", ".join(f"{k}={v!s}" for k, v in solved.params.items() if np.isscalar(v))
    summary = word(
        "summary", lang, model=config.model_class().title,
        params=params or "per-candidate costs", demand=len(result.demand),
        candidates=len(result.candidates), open=len(sol.open), status=sol.status.value,
        objective=f"{sol.objective:.6g}", gap=f"{sol.gap:.3g}", weight=_weight_note(result),
    )  # fmt: skip
    scores = result.scores
    ranking = scores[[c for c in scores.columns if not str(c).endswith("_contrib")]]
    tables: dict[str, Any] = {}
    tables.update(solved.report_tables(result.inputs, lang))
    if "robustness" in result.extras:
        rob = result.extras["robustness"]
        tables[word("robustness", lang, n=rob.n)] = rob.to_frame()
    assumptions = _assumptions(result, params, lang)
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
        caveats.append(
            word("criteria skipped", lang)
            + "; ".join(f"{k} ({v})" for k, v in result.scored.skipped.items())
        )
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
    return render_report(
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
        lang=lang,
    )


def _weight_note(result: PlanResult) -> str:
    """The demand weight in the report's language."""
    if result.lang != "zh":
        return result.weight_note
    if result.weight is None:
        return "每个需求单元权重为 1"
    unit = "（亿件）" if result.weight == "express_volume" else ""
    return f"需求权重：{result.weight} 列{unit}"


def _assumptions(result: PlanResult, params: str, lang: str) -> dict[str, Any]:
    """The report's assumptions: model, parameters, region, weights, scoring, solver ..."""
    from borderhub.plan.region import word

    config, sol = result.config, result.solution
    none = word("none", lang)
    region = "、".join(config.provinces) if config.provinces else word("all of China", lang)
    if not isinstance(result.extent, str):
        region += " (" + ", ".join(f"{v:g}" for v in result.extent) + ")"
    criteria = config.criteria if isinstance(config.criteria, str) else (
        "default_criteria()" if config.criteria is None else "given"
    )  # fmt: skip
    scoring = (
        f"{result.scored.method} with weights {config.weights}"
        if result.scored is not None
        else word("not scored", lang)
    )
    out: dict[str, Any] = {
        word("model", lang): config.model_class().title,
        word("parameters", lang): params or none,
        word("region", lang): region,
        word("required tiers", lang): ", ".join(t.name for t in config.required_tiers) or none,
        word("demand weight", lang): result.weight or word("every unit weighs 1", lang),
        word("criteria", lang): criteria,
        word("scoring", lang): scoring,
        word("missing criterion values", lang): f"nan_policy {config.nan_policy!r}",
        word("solver", lang): config.solver,
    }
    for key, value in sorted(getattr(sol, "assumptions", {}).items()):
        out[f"{word('cross-border', lang)}: {key}"] = value
    if "robustness" in result.extras:
        rob = result.extras["robustness"]
        out[word("robustness draws", lang)] = f"{rob.n} (seed {rob.seed})"
    return out


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


def _close_figure(fig: Any) -> None:
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # noqa: BLE001 - a figure not managed by pyplot
        pass
