"""A worked borderhub analysis on the bundled data, run by the documentation build.

Scores the 60 places of 专栏4, solves a tier-constrained p-median and a maximal-coverage
model over the 367 prefecture-level demand units, compares both with the plan's own
comprehensive centres, and draws the corridor map. The documentation page
``worked-analysis.rst`` shows the code between the ``# [name]`` markers below, and the
tables, figures and map this script writes -- every number on that page comes from this run.

Run it by hand with::

    python docs/worked_analysis.py --out /tmp/worked --extra /tmp/worked-html
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import borderhub as bh  # noqa: E402
from borderhub.locate import MaxCoverage, PMedian  # noqa: E402
from borderhub.maps import corridor_map, static_map  # noqa: E402
from borderhub.plots import plot_cost_curve  # noqa: E402
from borderhub.scenarios import elbow  # noqa: E402
from borderhub.scoring import default_criteria, rank_stability, score  # noqa: E402

#: Radius (km) within which a centre "covers" a demand unit in the coverage model.
RADIUS_KM = 300.0


def _fmt(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _set_name(labels, cands: pd.DataFrame) -> str:
    return ", ".join(cands.loc[list(labels), "plan_name"])


def reference_tables(out: Path) -> None:
    """Tables the user guide shows, generated from the library so they cannot drift."""
    table = bh.column4()
    rows = []
    for tier in bh.Tier:
        names = table.loc[table["tier"] == tier, "plan_name"].tolist()
        rows.append(
            {
                "Tier": tier.name,
                "label_zh (the plan's words)": tier.label_zh,
                "label_en": tier.label_en,
                "n": len(names),
                "places, as the plan names them": "、".join(names) if names else "(none)",
            }
        )
    _write_csv(pd.DataFrame(rows), out / "tiers.csv")


def run(out: Path, extra: Path) -> dict[str, str]:
    facts: dict[str, str] = {}
    t0 = time.perf_counter()

    # [load]
    cands = bh.datasets.candidates()  # the 60 places of 专栏4, index = adcode
    demand = bh.datasets.prefectures()  # 367 demand units, express volume in 亿件
    partners = bh.datasets.partners()  # RCEP and other corridor endpoints
    corridors = bh.datasets.corridors()  # task 14 and 专栏5 corridors
    # [/load]
    facts["n_candidates"] = str(len(cands))
    facts["n_demand"] = str(len(demand))
    facts["n_partners"] = str(len(partners))
    facts["n_corridors"] = str(len(corridors))
    facts["total_volume"] = _fmt(demand["express_volume"].sum(), 1)

    # [score]
    criteria = default_criteria()
    scores = score(cands, criteria, method="topsis")
    ranked = cands[["plan_name", "tiers"]].join(scores[["score", "rank"]]).sort_values("rank")
    stability = rank_stability(cands, criteria, n=1000, seed=0)
    # [/score]
    contrib = scores.filter(like="_contrib")
    top = ranked.head(15).copy()
    top["score"] = top["score"].round(3)
    top["strongest criterion"] = [
        contrib.loc[label].idxmax().removesuffix("_contrib") for label in top.index
    ]
    top.insert(0, "adcode", top.index)
    _write_csv(top, out / "scores_top15.csv")
    full = cands[["name", "plan_name", "province", "tiers"]].join(scores).sort_values("rank")
    full.insert(0, "adcode", full.index)
    (extra / "scores.csv").write_text(full.to_csv(index=False), encoding="utf-8")
    facts["weights"] = ", ".join(f"{c.name} {c.weight:.2f}" for c in criteria)
    omitted = scores.attrs["omitted"]  # nan_policy "auto": sparse criteria left out
    n_cand = len(cands)
    facts["omitted"] = (
        "; ".join(
            f"``{k}`` has a sourced value for only {round(v * n_cand)} of the {n_cand} places "
            "and is left out (``nan_policy='auto'``), the other weights renormalised"
            for k, v in omitted.items()
        )
        or "no criterion is left out for missing values"
    )
    facts["top1"] = str(ranked.iloc[0]["plan_name"])
    facts["bottom1"] = str(ranked.iloc[-1]["plan_name"])

    stab_cols = [c for c in stability.columns if c not in ("plan_name",)]
    stab = cands[["plan_name"]].join(stability[stab_cols])
    sort_col = "mean_rank" if "mean_rank" in stab.columns else stab_cols[0]
    stab = stab.sort_values(sort_col).head(10).round(3)
    stab.insert(0, "adcode", stab.index)
    _write_csv(stab, out / "rank_stability_top10.csv")

    # [plan-sets]
    core = cands.index[cands["tiers"].str.contains("CORE")]
    long_term = cands.index[cands["tiers"].str.contains("LONG_TERM")]
    provincial = cands.index[cands["tiers"].str.contains("PROVINCIAL")]
    fixed = core.union(long_term)  # the 12 places the plan names first: keep them
    plan_set = fixed.union(provincial)  # the plan's 23 comprehensive centres
    p = len(plan_set)
    # [/plan-sets]
    facts["n_core"] = str(len(core))
    facts["n_fixed"] = str(len(fixed))
    facts["n_provincial"] = str(len(provincial))
    facts["p"] = str(p)

    # [pmedian]
    weight = "express_volume"
    best = PMedian.from_geodataframe(demand, cands, weight=weight, p=p, required=fixed).solve()
    as_planned = PMedian.from_geodataframe(
        demand, cands, weight=weight, p=p, required=plan_set
    ).solve()
    free = PMedian.from_geodataframe(demand, cands, weight=weight, p=p).solve()
    # [/pmedian]
    for sol in (best, as_planned, free):
        if sol.status != "optimal":
            raise RuntimeError(f"p-median not solved to optimality: {sol.summary()}")
    total_w = demand[weight].sum()
    rows = []
    for label, sol in [
        ("plan: CORE + LONG_TERM + PROVINCIAL", as_planned),
        (f"optimal, the {len(fixed)} CORE + LONG_TERM fixed", best),
        ("optimal, no place fixed", free),
    ]:
        a = sol.assignment
        rows.append(
            {
                "centres": label,
                "p": len(sol.open),
                "volume-weighted mean km": round(sol.objective / total_w, 1),
                "max km": round(float(a["cost"].max()), 0),
                "volume within 300 km (%)": round(
                    100 * a.loc[a["cost"] <= RADIUS_KM, "weight"].sum() / total_w, 1
                ),
                "status": str(sol.status),
                "solve s": round(sol.build_time + sol.solve_time, 2),
            }
        )
    _write_csv(pd.DataFrame(rows), out / "pmedian_compare.csv")
    mean_plan = as_planned.objective / total_w
    mean_best = best.objective / total_w
    mean_free = free.objective / total_w
    facts["pm_mean_plan"] = _fmt(mean_plan, 1)
    facts["pm_mean_best"] = _fmt(mean_best, 1)
    facts["pm_mean_free"] = _fmt(mean_free, 1)
    facts["pm_gain_pct"] = _fmt(100 * (mean_plan - mean_best) / mean_plan, 1)
    facts["pm_fixed_cost_pct"] = _fmt(100 * (mean_best - mean_free) / mean_free, 1)

    chosen = best.open.difference(fixed)
    kept = chosen.intersection(provincial)
    added = chosen.difference(provincial)
    dropped = provincial.difference(chosen)
    facts["pm_kept"] = str(len(kept))
    facts["pm_kept_names"] = _set_name(kept, cands) or "none"
    facts["pm_added_names"] = _set_name(added, cands) or "none"
    facts["pm_dropped_names"] = _set_name(dropped, cands) or "none"
    facts["free_core_missing"] = _set_name(core.difference(free.open), cands) or "none"

    load = best.assignment.groupby("facility").agg(
        demand_units=("weight", "size"),
        volume=("weight", "sum"),
        mean_km=("cost", "mean"),
        max_km=("cost", "max"),
    )
    load = cands[["plan_name", "tiers"]].join(load, how="inner")
    load["volume"] = load["volume"].round(1)
    load["mean_km"] = load["mean_km"].round(0)
    load["max_km"] = load["max_km"].round(0)
    load["rank by score"] = scores.loc[load.index, "rank"]
    load = load.sort_values("volume", ascending=False)
    load.insert(0, "adcode", load.index)
    _write_csv(load, out / "pmedian_centres.csv")

    # [sweep]
    ps = sorted(set(range(len(fixed), 41, 2)) | {p})  # every other p, and the plan's 23
    curve = bh.p_sweep(demand, cands, p=ps, weight=weight, required=fixed, progress=False)
    knee = elbow(curve, y="mean_cost")  # mean_cost = objective / total volume, in km
    ax = plot_cost_curve(curve, y="mean_cost", mark=p, ylabel="volume-weighted mean distance (km)")
    ax.figure.savefig(out / "cost_curve.png", dpi=110, bbox_inches="tight")
    # [/sweep]
    if not curve["status"].eq("optimal").all():
        raise RuntimeError(f"p sweep not solved to optimality:\n{curve}")
    at = curve.set_index("p")["mean_cost"]
    facts["sweep_from"] = str(int(curve["p"].min()))
    facts["sweep_to"] = str(int(curve["p"].max()))
    facts["sweep_n"] = str(len(curve))
    facts["knee"] = str(knee)
    facts["knee_km"] = _fmt(at.loc[knee], 1) if knee in at.index else "n/a"
    facts["sweep_first_km"] = _fmt(at.iloc[0], 1)
    facts["sweep_last_km"] = _fmt(at.iloc[-1], 1)

    # [coverage]
    cover = MaxCoverage.from_geodataframe(
        demand, cands, weight=weight, p=p, radius=RADIUS_KM, required=fixed
    ).solve()
    cover_plan = MaxCoverage.from_geodataframe(
        demand, cands, weight=weight, p=p, radius=RADIUS_KM, required=plan_set
    ).solve()
    # [/coverage]
    for sol in (cover, cover_plan):
        if sol.status != "optimal":
            raise RuntimeError(f"coverage model not solved to optimality: {sol.summary()}")
    facts["radius"] = _fmt(RADIUS_KM)
    facts["cov_best_pct"] = _fmt(100 * cover.objective / total_w, 1)
    facts["cov_plan_pct"] = _fmt(100 * cover_plan.objective / total_w, 1)
    cov_chosen = cover.open.difference(fixed)
    facts["cov_added_names"] = _set_name(cov_chosen.difference(provincial), cands) or "none"
    facts["cov_kept_names"] = _set_name(cov_chosen.intersection(provincial), cands) or "none"

    # [compare]
    table = cands[["plan_name", "tiers"]].copy()
    table["score rank"] = scores["rank"]
    table["in plan's 23"] = table.index.isin(plan_set)
    table["p-median"] = table.index.isin(best.open)
    table["max coverage"] = table.index.isin(cover.open)
    # [/compare]
    agree = table[["in plan's 23", "p-median", "max coverage"]]
    disagree = table[agree.nunique(axis=1) > 1].sort_values("score rank")
    disagree = disagree.replace({True: "yes", False: ""})
    disagree.insert(0, "adcode", disagree.index)
    _write_csv(disagree, out / "compare.csv")
    facts["n_all_three"] = str(int(agree.all(axis=1).sum()))
    facts["n_disagree"] = str(len(disagree))

    robustness_block(out, facts, demand, cands, plan_set, fixed, p)

    # [map]
    rcep = partners.index[partners["rcep"]]
    to_rcep = corridors["partners"].str.split(";").map(lambda ids: set(ids) <= set(rcep))
    fmap = corridor_map(
        cands,
        solution=best,
        partners=partners.loc[rcep],
        corridors=corridors[to_rcep],
        scores=scores,
        demand=demand,
        self_contained=True,
        title="borderhub worked analysis: 23 centres and the RCEP corridors",
        extent="content",  # the partner hubs abroad in view
        show_corridors=True,
    )
    fmap.save(str(extra / "corridor_map.html"))
    fig = static_map(
        cands,
        solution=best,
        partners=partners.loc[rcep],
        corridors=corridors[to_rcep],
        demand=demand,
        lang="en",
    )
    fig.savefig(out / "static_map.png", dpi=110, bbox_inches="tight")
    # [/map]
    facts["n_rcep_corridors"] = str(int(to_rcep.sum()))
    facts["n_rcep_partners"] = str(len(rcep))
    facts["map_kb"] = _fmt((extra / "corridor_map.html").stat().st_size / 1024)

    facts["runtime_s"] = _fmt(time.perf_counter() - t0, 1)
    facts["versions"] = (
        f"borderhub {bh.__version__}, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, NumPy {np.__version__}"
    )
    return facts


#: Draws of the robustness block: small enough to keep the documentation build fast (the
#: p-median draws are warm-started, about 0.05 s each; every coverage draw is two solves).
#: A study would use 1,000 or more, on a Dask cluster (see benchmarks/bench_robustness.py).
ROBUST_N_MEDIAN = 200
ROBUST_N_COVERAGE = 60


def robustness_block(
    out: Path, facts: dict[str, str], demand, cands, plan_set, fixed, p: int
) -> None:
    """Which of the plan's places hold under plausible express volumes (a separate block)."""
    # [robustness]
    common = dict(required=fixed, p=p, correlation=0.3, seed=2021, progress=False)
    r_median = bh.robustness("pmedian", demand, cands, n=ROBUST_N_MEDIAN, **common)
    r_cover = bh.robustness("mclp", demand, cands, n=ROBUST_N_COVERAGE, radius=RADIUS_KM, **common)
    fig = r_median.plot()
    fig.savefig(out / "robustness_pmedian.png", dpi=110, bbox_inches="tight")
    # [/robustness]
    for res in (r_median, r_cover):
        if not res.draws["status"].eq("optimal").all():
            raise RuntimeError(f"robustness draws not all optimal:\n{res.summary()}")
    table = cands.loc[plan_set, ["plan_name", "tiers"]].copy()
    table["p-median (%)"] = (100 * r_median.selection["frequency"]).round(1)
    table["max coverage (%)"] = (100 * r_cover.selection["frequency"]).round(1)
    table["fixed"] = table.index.isin(fixed)
    table = table[~table["fixed"]].drop(columns="fixed")
    table["held in >= 90 % (both)"] = (table["p-median (%)"] >= 90) & (
        table["max coverage (%)"] >= 90
    )
    table = table.sort_values(["p-median (%)", "max coverage (%)"], ascending=False)
    table = table.replace({True: "yes", False: ""})
    table.insert(0, "adcode", table.index)
    _write_csv(table, out / "robustness_plan.csv")
    others = cands.index.difference(plan_set)
    outside = r_median.selection.loc[others]
    outside = outside[outside["frequency"] >= 0.5]
    facts["rob_n_median"] = str(ROBUST_N_MEDIAN)
    facts["rob_n_cover"] = str(ROBUST_N_COVERAGE)
    stable_median = r_median.stable(0.9).intersection(plan_set).difference(fixed)
    stable_cover = r_cover.stable(0.9).intersection(plan_set).difference(fixed)
    both = stable_median.intersection(stable_cover)
    facts["rob_median_stable"] = _set_name(stable_median, cands) or "none"
    facts["rob_cover_stable"] = _set_name(stable_cover, cands) or "none"
    facts["rob_both_stable"] = _set_name(both, cands) or "none"
    facts["rob_n_both"] = str(len(both))
    facts["rob_outside"] = _set_name(outside.index, cands) or "none"
    facts["rob_median_sets"] = str(len(r_median.sets))
    facts["rob_nominal_share"] = _fmt(
        100 * float(r_median.sets.loc[r_median.sets["nominal"], "frequency"].sum()), 0
    )
    rr = 100 * r_median.draws["relative_regret"]
    facts["rob_regret_median"] = _fmt(float(rr.median()), 2)
    facts["rob_regret_p95"] = _fmt(float(rr.quantile(0.95)), 2)
    facts["rob_regret_max"] = _fmt(float(rr.max()), 2)
    method = demand["express_volume_method"].astype(str).str.lower()
    facts["rob_n_estimated"] = str(int(method.str.startswith("estimate").sum()))
    facts["rob_seconds"] = _fmt(r_median.elapsed + r_cover.elapsed, 1)


def write_facts(facts: dict[str, str], out: Path) -> None:
    """Write the figures quoted in the prose as reStructuredText substitutions."""
    lines = [".. Generated by worked_analysis.py; do not edit.", ""]
    for key, value in sorted(facts.items()):
        lines.append(f".. |{key}| replace:: {value}")
    (out / "facts.inc").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "facts.json").write_text(
        json.dumps(facts, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the worked analysis of the docs.")
    parser.add_argument("--out", required=True, type=Path, help="tables, figures, facts")
    parser.add_argument("--extra", required=True, type=Path, help="files served as they are")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    args.extra.mkdir(parents=True, exist_ok=True)
    reference_tables(args.out)
    facts = run(args.out, args.extra)
    facts.update(__import__("worked_crossborder").run(args.out))  # worked-crossborder.rst
    write_facts(facts, args.out)
    print(json.dumps(facts, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
