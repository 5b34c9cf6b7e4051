"""Cross-border part of the worked analysis: which centres and gateways carry each partner.

Run by ``worked_analysis.py`` (and so at every documentation build); the page
``worked-crossborder.rst`` shows the code between the ``# [name]`` markers and the tables
written here. By hand::

    python docs/worked_crossborder.py --out /tmp/worked
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

import borderhub as bh  # noqa: E402
from borderhub.flowmap import plot_flows  # noqa: E402
from borderhub.locate import CrossBorderMedian, gateway_costs  # noqa: E402
from borderhub.maps import static_map  # noqa: E402

#: Number of centres (the plan names 10 CORE cities).
P = 10


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _names(labels, cands: pd.DataFrame) -> str:
    return "、".join(cands.loc[list(labels), "plan_name"]) or "(none)"


def run(out: Path) -> dict[str, str]:
    """Write the cross-border tables into ``out`` and return the facts quoted in the prose."""
    facts: dict[str, str] = {}
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)

    # [cb-data]
    cands = bh.datasets.candidates()
    demand = bh.datasets.prefectures()
    partners = bh.datasets.partners()
    flows = bh.international_demand(demand, partners)  # sourced share and partner split
    routes = gateway_costs(cands, partners)  # cheapest gateway per centre x partner
    international = routes["cost"].unstack("partner")
    domestic = bh.distance_matrix(demand, cands)
    # [/cb-data]
    a = flows.attrs["assumptions"]
    facts["cb_share_pct"] = f"{100 * a['share']:.2f}"
    facts["cb_total"] = f"{flows.to_numpy().sum():.2f}"
    facts["cb_n_partners_flow"] = str(flows.shape[1])
    facts["cb_n_partners"] = str(len(partners))
    facts["cb_n_commodities"] = str(int((flows.to_numpy() > 0).sum()))
    facts["cb_without_flow"] = ", ".join(a["partners_without_flow"])
    facts["cb_n_gateways"] = str(len(bh.locate.gateways()))
    facts["cb_p"] = str(P)

    # [cb-solve]
    model = CrossBorderMedian.from_cost_matrices(domestic, international, flows, p=P, routes=routes)
    sol = model.solve()
    by_partner = sol.loads(["partner", "centre", "gateway", "mode"]).reset_index()
    # [/cb-solve]
    facts["cb_status"] = str(sol.status)
    facts["cb_runtime"] = f"{sol.runtime:.1f}"
    facts["cb_open"] = _names(sol.open, cands)

    # per partner: its total flow and the route carrying the largest part of it
    rows = []
    for k, grp in by_partner.groupby("partner", sort=False):
        total = grp["flow"].sum()
        top = grp.sort_values("flow", ascending=False).iloc[0]
        rows.append({
            "partner": f"{k} ({partners.at[k, 'city']})",
            "flow (亿件)": round(total, 4),
            "centres": _names(grp["centre"].unique(), cands),
            "main centre": cands.at[top["centre"], "plan_name"],
            "main gateway": top["gateway"],
            "mode": top["mode"],
            "share of main route": f"{100 * top['flow'] / total:.0f}%",
        })  # fmt: skip
    _write_csv(pd.DataFrame(rows).sort_values("flow (亿件)", ascending=False),
               out / "cb_partners.csv")  # fmt: skip

    centres = sol.loads("centre").reset_index()
    centres.insert(1, "name", cands.loc[centres["centre"], "plan_name"].to_numpy())
    centres.insert(2, "tiers", cands.loc[centres["centre"], "tiers"].to_numpy())
    centres["flow"] = centres["flow"].round(4)
    _write_csv(centres[["centre", "name", "tiers", "flow", "commodities"]], out / "cb_centres.csv")

    gates = sol.loads(["gateway", "mode"]).reset_index().head(12)
    gates["flow"] = gates["flow"].round(4)
    _write_csv(gates[["gateway", "mode", "flow", "commodities"]], out / "cb_gateways.csv")
    modes = sol.loads("mode")
    facts["cb_mode_split"] = ", ".join(
        f"{m} {100 * f / modes['flow'].sum():.0f}%" for m, f in modes["flow"].items()
    )

    # [cb-map]
    asia = partners.index[partners["region"].isin(["ASEAN", "Northeast Asia"])]
    fig = static_map(
        cands.loc[sol.open],
        partners=partners.loc[asia],
        corridors=bh.datasets.corridors().iloc[:0],
        lang="en",
    )
    plot_flows(fig.axes[0], sol, cands, partners.loc[asia])
    fig.savefig(out / "cb_flows.png", dpi=110, bbox_inches="tight")
    # [/cb-map]

    # [cb-tiers]
    core = cands.index[cands["tiers"].str.contains("CORE")]
    chosen_core = sol.open.intersection(core)
    # [/cb-tiers]
    facts["cb_n_core_chosen"] = str(len(chosen_core))
    facts["cb_core_missing"] = _names(core.difference(sol.open, sort=False), cands)
    facts["cb_not_core"] = _names(sol.open.difference(core, sort=False), cands)

    # [cb-sweep]
    border = cands.index[cands["border_port"].fillna("").astype(str) != ""]
    sweep_rows = []
    for share in (a["share"], 0.10, 0.30, 1.0):  # international share of express volume
        f = bh.international_demand(demand, partners, share=share)
        dom_weight = demand["express_volume"] * (1 - share)  # the domestic pieces
        s = CrossBorderMedian.from_cost_matrices(
            domestic, international, f, p=P, routes=routes, domestic_demand=dom_weight
        ).solve()
        sweep_rows.append({"sweep": "international share", "value": f"{share:.3f}",
                           "centres": _names(s.open, cands),
                           "border-port cities": _names(s.open.intersection(border), cands),
                           "road share": s.loads("mode")["flow"].get("road", 0.0)
                           / s.loads("mode")["flow"].sum()})  # fmt: skip
    for factor in (2.0, 1.0, 0.5, 0.25):  # road (border-port) cost relative to the default
        r = gateway_costs(
            cands, partners, modes={"road": {"handling": 300 * factor, "rate": factor}}
        )
        s = CrossBorderMedian.from_cost_matrices(
            domestic, r["cost"].unstack("partner"), flows, p=P, routes=r
        ).solve()
        sweep_rows.append({"sweep": "road / default road cost", "value": f"{factor:g}",
                           "centres": _names(s.open, cands),
                           "border-port cities": _names(s.open.intersection(border), cands),
                           "road share": s.loads("mode")["flow"].get("road", 0.0)
                           / s.loads("mode")["flow"].sum()})  # fmt: skip
    # [/cb-sweep]
    sweep = pd.DataFrame(sweep_rows)
    sweep["road share"] = (100 * sweep["road share"]).round(1).astype(str) + "%"
    _write_csv(sweep, out / "cb_sweep.csv")
    facts["cb_sweep_runtime"] = f"{time.perf_counter() - t0:.0f}"
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the cross-border worked analysis.")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    print(json.dumps(run(args.out), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
