"""Cross-border flow siting: CrossBorderMedian against brute force, gateway_costs, demand.

Brute force enumerates every admissible set of open centres (p-median and fixed-charge
variants, with required / forbidden / group constraints, unreachable (NaN) pairs and an
optional domestic term) and routes each commodity through its cheapest open centre that
reaches its partner.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from borderhub import datasets, international_demand
from borderhub.exceptions import DataError, SpecificationError
from borderhub.flows import international_express, partner_exports
from borderhub.locate import CrossBorderMedian, gateway_costs, gateways

NAN = float("nan")


# ----------------------------------------------------------------------------------------
# brute force
# ----------------------------------------------------------------------------------------
def brute(D, G, F, *, p=None, fixed=None, required=(), forbidden=(), groups=None, gmax=None,
          dom_w=None, lam=1.0):  # fmt: skip
    """Best objective over all admissible open sets (inf when none routes everything)."""
    n, m = D.shape
    allowed = [j for j in range(m) if j not in forbidden]
    sizes = [p] if p is not None else range(1, len(allowed) + 1)
    best = math.inf
    for k in sizes:
        for S in itertools.combinations(allowed, k):
            if not set(required) <= set(S):
                continue
            if groups is not None and gmax is not None:
                counts = pd.Series([groups[j] for j in S]).value_counts()
                if (counts > gmax).any():
                    continue
            total = 0.0 if fixed is None else float(sum(fixed[j] for j in S))
            for i in range(n):
                for kk in range(F.shape[1]):
                    if F[i, kk] <= 0:
                        continue
                    c = [D[i, j] + G[j, kk] for j in S if np.isfinite(G[j, kk])]
                    if not c:
                        total = math.inf
                        break
                    total += F[i, kk] * min(c)
                if dom_w is not None:
                    total += lam * dom_w[i] * min(D[i, j] for j in S)
            best = min(best, total)
    return best


@st.composite
def instances(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(2, 6))
    K = draw(st.integers(1, 3))
    D = np.array(draw(st.lists(st.integers(0, 20), min_size=n * m, max_size=n * m)), float)
    G = np.array(draw(st.lists(st.integers(0, 20), min_size=m * K, max_size=m * K)), float)
    mask = np.array(draw(st.lists(st.booleans(), min_size=m * K, max_size=m * K)))
    G[mask] = NAN
    F = np.array(draw(st.lists(st.integers(0, 5), min_size=n * K, max_size=n * K)), float)
    assume(F.sum() > 0)
    forbidden = draw(st.sets(st.integers(0, m - 1), max_size=m - 1))
    allowed = [j for j in range(m) if j not in forbidden]
    required = draw(st.sets(st.sampled_from(allowed), max_size=2))
    use_groups = draw(st.booleans())
    groups = [draw(st.sampled_from("AB")) for _ in range(m)] if use_groups else None
    gmax = draw(st.integers(1, 3)) if use_groups else None
    return D.reshape(n, m), G.reshape(m, K), F.reshape(n, K), forbidden, required, groups, gmax


def frames(D, G, F):
    n, m = D.shape
    K = G.shape[1]
    o = [f"o{i}" for i in range(n)]
    c = [f"c{j}" for j in range(m)]
    k = [f"K{x}" for x in range(K)]
    return (pd.DataFrame(D, o, c), pd.DataFrame(G, c, k), pd.DataFrame(F, o, k))


def _policy(m, forbidden, required, groups, gmax):
    kw = {"forbidden": [f"c{j}" for j in sorted(forbidden)],
          "required": [f"c{j}" for j in sorted(required)]}  # fmt: skip
    if groups is not None:
        kw["groups"] = pd.Series(groups, index=[f"c{j}" for j in range(m)])
        kw["max_per_group"] = gmax
    return kw


def _check(model_fn, expected):
    """Build + solve; compare with brute force (an error must mean brute force is inf)."""
    try:
        model = model_fn()
    except DataError:
        assert expected == math.inf
        return
    except SpecificationError:
        assume(False)  # p or policy rejected before solving (checked elsewhere)
        return
    sol = model.solve()
    if expected == math.inf:
        assert sol.status == "infeasible"
    else:
        assert sol.status == "optimal"
        assert sol.objective == pytest.approx(expected, rel=1e-9, abs=1e-9)
        # the routing re-computes the objective
        r = sol.routing
        dom = sol.domestic
        total = float((r["flow"] * r["cost"]).sum())
        if len(dom):
            total += float((dom["weight"] * dom["cost"]).sum()) * model.domestic_weight
        if model.fixed_cost is not None:
            total += float(model.fixed_cost[sol.open].sum())
        assert total == pytest.approx(expected, rel=1e-9, abs=1e-9)
        assert set(r["centre"]) <= set(sol.open)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(), data=st.data())
def test_p_median_variant_matches_brute_force(inst, data):
    D, G, F, forbidden, required, groups, gmax = inst
    m = D.shape[1]
    allowed = m - len(forbidden)
    p = data.draw(st.integers(max(1, len(required)), allowed))
    d, g, f = frames(D, G, F)
    kw = _policy(m, forbidden, required, groups, gmax)
    expected = brute(D, G, F, p=p, required=required, forbidden=forbidden, groups=groups,
                     gmax=gmax)  # fmt: skip
    _check(lambda: CrossBorderMedian.from_cost_matrices(d, g, f, p=p, **kw), expected)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(), data=st.data())
def test_fixed_charge_variant_matches_brute_force(inst, data):
    D, G, F, forbidden, required, groups, gmax = inst
    m = D.shape[1]
    fixed = np.array(data.draw(st.lists(st.integers(0, 15), min_size=m, max_size=m)), float)
    d, g, f = frames(D, G, F)
    kw = _policy(m, forbidden, required, groups, gmax)
    expected = brute(D, G, F, fixed=fixed, required=required, forbidden=forbidden,
                     groups=groups, gmax=gmax)  # fmt: skip
    fc = pd.Series(fixed, index=d.columns)
    _check(lambda: CrossBorderMedian.from_cost_matrices(d, g, f, fixed_cost=fc, **kw), expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(), data=st.data())
def test_domestic_term_matches_brute_force(inst, data):
    D, G, F, forbidden, required, groups, gmax = inst
    n, m = D.shape
    allowed = m - len(forbidden)
    p = data.draw(st.integers(max(1, len(required)), allowed))
    w = np.array(data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), float)
    lam = data.draw(st.sampled_from([0.5, 1.0, 2.0]))
    d, g, f = frames(D, G, F)
    kw = _policy(m, forbidden, required, groups, gmax)
    expected = brute(D, G, F, p=p, required=required, forbidden=forbidden, groups=groups,
                     gmax=gmax, dom_w=w, lam=lam)  # fmt: skip
    dd = pd.Series(w, index=d.index)
    _check(
        lambda: CrossBorderMedian.from_cost_matrices(
            d, g, f, p=p, domestic_demand=dd, domestic_weight=lam, **kw
        ),
        expected,
    )


# ----------------------------------------------------------------------------------------
# hand-checked instance and solution tables
# ----------------------------------------------------------------------------------------
@pytest.fixture
def tiny():
    dom = pd.DataFrame([[0.0, 6.0, 9.0], [6.0, 0.0, 4.0]], index=["o1", "o2"],
                       columns=["a", "b", "c"])  # fmt: skip
    intl = pd.DataFrame({"K1": [2.0, 8.0, 1.0], "K2": [NAN, 3.0, NAN]}, index=["a", "b", "c"])
    flows = pd.DataFrame({"K1": [1.0, 1.0], "K2": [1.0, 2.0]}, index=["o1", "o2"])
    return dom, intl, flows


def test_tiny_by_hand(tiny):
    dom, intl, flows = tiny
    # p=1: only b reaches K2, so b must open: 1*(6+8) + 1*(6+3) + 1*(0+8) + 2*(0+3) = 37
    sol = CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=1).solve()
    assert list(sol.open) == ["b"] and sol.objective == 37.0
    # p=2: {a, b}: o1-K1 via a (2), o1-K2 via b (9), o2-K1 via a (8), o2-K2 via b (6) = 25
    sol = CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=2).solve()
    assert list(sol.open) == ["a", "b"] and sol.objective == 25.0
    assert sol.loads("centre")["flow"].to_dict() == {"b": 3.0, "a": 2.0}
    assert sol.loads("partner")["flow"].to_dict() == {"K2": 3.0, "K1": 2.0}
    assert sol.routing.loc[("o2", "K1"), "centre"] == "a"


def test_inputs_not_mutated(tiny):
    dom, intl, flows = tiny
    copies = [x.copy() for x in tiny]
    CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=2, forbidden=["c"]).solve()
    for a, b in zip(tiny, copies, strict=True):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d, g, f: (d, g, f.assign(K1=[-1.0, 1.0])), "negative, missing"),
        (lambda d, g, f: (d, g, f.assign(K1=[NAN, 1.0])), "negative, missing"),
        (lambda d, g, f: (d.drop(index="o2"), g, f), "not rows of `domestic`"),
        (lambda d, g, f: (d, g.drop(columns="K2"), f), "not columns of `international`"),
        (lambda d, g, f: (d, g.drop(index="b"), f), "no row for candidates"),
        (lambda d, g, f: (d, g.assign(K2=NAN), f), "no gateway of any candidate"),
        (lambda d, g, f: (d, g.assign(K1=[-1.0, 1.0, 1.0]), f), "negative or infinite"),
    ],
)
def test_bad_input(tiny, change, match):
    d, g, f = change(*tiny)
    with pytest.raises(DataError, match=match):
        CrossBorderMedian.from_cost_matrices(d, g, f, p=1)


def test_bad_specification(tiny):
    dom, intl, flows = tiny
    with pytest.raises(DataError, match="only forbidden candidates reach"):
        CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=1, forbidden=["b"])
    with pytest.raises(SpecificationError, match="exactly one of p"):
        CrossBorderMedian.from_cost_matrices(dom, intl, flows)
    with pytest.raises(SpecificationError, match="exactly one of p"):
        CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=1, fixed_cost=1.0)
    # only K2 has flow: a and c reach no partner with flow, so at most 1 useful centre
    with pytest.raises(SpecificationError, match="route any flow"):
        CrossBorderMedian.from_cost_matrices(dom, intl, flows.assign(K1=0.0), p=2)
    with pytest.raises(SpecificationError, match="gateway_cost"):
        CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=1, gateway_cost=[1, 2, 3])
    with pytest.raises(SpecificationError, match="from_cost_matrices"):
        CrossBorderMedian.from_cost_matrix(np.eye(2))


# ----------------------------------------------------------------------------------------
# gateways and their costs (bundled data)
# ----------------------------------------------------------------------------------------
def test_gateways_table():
    g = gateways()
    assert g.index.is_unique
    assert set(g["mode"]) == {"air", "sea", "road", "rail"}
    ports = datasets.border_ports()
    mode = ports["mode"].map(lambda m: "rail" if m == "rail" else "road")
    assert {f"{mode[p]}:{p}" for p in ports.index} <= set(g.index)
    assert "rail:pingxiang" in g.index  # the 凭祥 railway port (mode "rail")
    # ports at their own coordinates
    assert g.loc["road:mohan", ["lon", "lat"]].tolist() == pytest.approx(
        ports.loc["mohan", ["lon", "lat"]].astype(float).tolist()
    )
    assert g.loc["road:ruili", "reach"] == "MMR"
    assert g.loc["road:hunchun", "reach"] == "RUS;PRK"


def test_gateways_robust_to_added_columns():
    ports = datasets.border_ports().assign(mode="road", neighbour_iso3="MMR", extra=1)
    g = gateways(border_ports=ports)
    assert (g.loc[g["mode"] == "road", "reach"] == "MMR").all()
    ports.loc["ruili", "mode"] = "rail"
    assert "rail:ruili" in gateways(border_ports=ports).index


def test_gateway_costs_formula_and_unreachable():
    cand = datasets.candidates().loc[["533100", "310000"]]
    part = datasets.partners().loc[["MMR-MDL", "LAO-VTE", "JPN-TYO"]]
    r = gateway_costs(cand, part)
    assert len(r) == 6 and r.index.names == ["centre", "partner"]
    row = r.loc[("533100", "MMR-MDL")]
    # 畹町 (a sourced point at the border town) is nearer to 德宏's seat than the 瑞丽 stand-in
    assert row["mode"] == "road" and row["gateway"] == "road:wanding"
    # cost = truck leg + handling + rate * route
    assert row["cost"] == pytest.approx(row["leg_km"] + 300.0 + 1.0 * row["route_km"])
    # with only sea allowed, landlocked Laos is unreachable: NaN, no mode
    sea_only = {"air": None, "road": None, "rail": None}
    r2 = gateway_costs(cand, part, modes=sea_only)
    assert r2.loc[("310000", "LAO-VTE")].isna()[["cost", "mode", "gateway"]].all()
    assert (r2.loc[(slice(None), "JPN-TYO"), "mode"] == "sea").all()
    # raising a rate never lowers a cost
    r3 = gateway_costs(cand, part, modes={"air": {"rate": 5.0}})
    assert (r3["cost"] >= r["cost"] - 1e-9).all()


def test_gateway_costs_bad_modes():
    cand = datasets.candidates().iloc[:2]
    part = datasets.partners().iloc[:2]
    with pytest.raises(SpecificationError, match="unknown mode"):
        gateway_costs(cand, part, modes={"ship": {"rate": 1}})
    with pytest.raises(SpecificationError, match="unknown parameter"):
        gateway_costs(cand, part, modes={"air": {"speed": 1}})
    with pytest.raises(SpecificationError, match="non-negative"):
        gateway_costs(cand, part, modes={"air": {"rate": -1}})
    with pytest.raises(DataError, match="iso3"):
        gateway_costs(cand, part.drop(columns="iso3"))


# ----------------------------------------------------------------------------------------
# international demand
# ----------------------------------------------------------------------------------------
def test_international_demand_default_is_sourced():
    t = international_express()
    assert t.loc[2023, "international_volume"] == 30.7
    f = international_demand()
    pref = datasets.prefectures()
    share = 42.2 / 1989.5
    assert f.sum(axis=1).to_numpy() == pytest.approx(share * pref["express_volume"].to_numpy())
    ex = partner_exports()
    part = datasets.partners()
    # every partner with flow is in a country with a sourced export figure
    assert set(part.loc[f.columns, "iso3"]) <= set(ex.index)
    # country shares follow the export figures
    by_country = f.sum().groupby(part.loc[f.columns, "iso3"]).sum()
    expect = ex["exports_usd_bn"].reindex(by_country.index)
    assert (by_country / by_country.sum()).to_numpy() == pytest.approx(
        (expect / expect.sum()).to_numpy()
    )
    a = f.attrs["assumptions"]
    assert a["share_year"] == 2025 and "MMR-RGN" in a["partners_without_flow"]


def test_international_demand_tilt_keeps_total():
    base = international_demand(share=0.02, split="equal")
    tilted = international_demand(share=0.02, split="equal", tilt=3.0)
    assert tilted.to_numpy().sum() == pytest.approx(base.to_numpy().sum())
    # 义乌's prefecture 金华 hosts a pilot zone; a prefecture without one loses share
    assert tilted.loc["330700"].sum() > base.loc["330700"].sum()
    zones = datasets.cbec_pilot_zones()
    without = [a for a in base.index if a not in set(zones["adcode"])
               and a[:4] + "00" not in set(zones["adcode"])]  # fmt: skip
    assert tilted.loc[without[0]].sum() < base.loc[without[0]].sum()


def test_international_demand_bad_input():
    with pytest.raises(SpecificationError, match="share"):
        international_demand(share=1.5)
    with pytest.raises(SpecificationError, match="year"):
        international_demand(year=1999)
    with pytest.raises(SpecificationError, match="tilt"):
        international_demand(tilt=-1)
    with pytest.raises(DataError, match="not in the partner"):
        international_demand(split=pd.Series({"XXX": 1.0}))
    pref = datasets.prefectures().iloc[:3].copy()
    pref.iloc[0, pref.columns.get_loc("express_volume")] = -1.0
    before = pref.copy()
    with pytest.raises(DataError, match="negative or missing"):
        international_demand(pref)
    pd.testing.assert_frame_equal(pref, before)


def test_bundled_border_city_enters_for_neighbour():
    """On a Yunnan/Guangxi sub-instance, Vietnam-bound flow leaves by road via a border port."""
    dem = datasets.prefectures().loc[["530100", "532500", "450100", "451400"]]
    cand = datasets.candidates().loc[["530100", "532500", "450100", "450600"]]
    part = datasets.partners().loc[["VNM-HAN"]]
    sol = CrossBorderMedian.from_geodataframe(dem, cand, part, p=2).solve()
    assert sol.status == "optimal"
    assert set(sol.routing["mode"]) == {"road"}
    assert sol.loads("gateway").index.str.startswith("road:").all()


# ----------------------------------------------------------------------------------------
# flow layers
# ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def south_solution():
    from borderhub.locate import solve_crossborder

    cand = datasets.candidates().loc[["530100", "532500", "440100"]]
    dem = datasets.prefectures().loc[["530100", "532500", "440100"]]
    part = datasets.partners().loc[["VNM-HAN", "JPN-TYO", "DEU-DUI"]]
    return solve_crossborder(cand, dem, part, p=2, split="equal"), cand, part


def test_solve_crossborder_records_assumptions(south_solution):
    sol, cand, part = south_solution
    assert sol.status == "optimal"
    assert sol.assumptions["split"] == "equal" and sol.assumptions["share_year"] == 2025
    assert set(sol.routing.index.get_level_values("partner")) == set(part.index)
    assert sol.routing["gateway"].notna().all()


def test_flow_layers_render(south_solution):
    import folium
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from borderhub.flowmap import add_flow_layer, flow_segments, plot_flows

    sol, cand, part = south_solution
    seg = flow_segments(sol, cand, part)
    assert seg["flow"].sum() == pytest.approx(sol.routing["flow"].sum())
    html = add_flow_layer(folium.Map(tiles=None), sol, cand, part).get_root().render()
    for gid in seg["gateway"].unique():
        assert gid in html
    assert "width ∝ volume" in html and "gateway load" in html
    fig, ax = plt.subplots()
    plot_flows(ax, sol, cand, part)
    # one coloured line per drawn piece; the widest is the largest flow
    assert len(ax.lines) >= len(seg)
    assert max(line.get_linewidth() for line in ax.lines) == pytest.approx(6.0)
    plt.close(fig)


def test_flows_on_the_projected_static_map_land_where_their_places_are(south_solution):
    """static_map's axes are in projected metres: flows go through its lon/lat transform."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from borderhub import static_map
    from borderhub.flowmap import plot_flows

    sol, cand, part = south_solution
    fig = static_map(cand, figsize=(6, 5))
    ax = fig.axes[0]
    n0 = len(ax.lines)
    plot_flows(ax, sol, cand, part)
    drawn = ax.lines[n0:]
    assert drawn
    # the first point of each flow is a Chinese origin centre: in projected metres it lies
    # inside the map's extent (in raw degrees it would sit near the projection's origin)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    for line in drawn:
        data = line.get_transform().transform(line.get_xydata()[:1])
        px, py = ax.transData.inverted().transform(data)[0]
        assert x0 <= px <= x1 and y0 <= py <= y1
        assert abs(px) > 1000 or abs(py) > 1000  # metres, not degrees
    plt.close(fig)


def test_flow_layer_needs_gateway_labels(tiny):
    from borderhub.flowmap import flow_segments

    sol = CrossBorderMedian.from_cost_matrices(*tiny, p=2).solve()
    with pytest.raises(SpecificationError, match="routes="):
        flow_segments(sol, pd.DataFrame({"lon": [0.0], "lat": [0.0]}), None)


def test_flow_layer_on_corridor_map_in_browser(south_solution, tmp_path):
    """The layer draws in a real browser on corridor_map's page, without console errors."""
    from test_maps_browser import _chromium, _console_errors, _paths, _run

    import borderhub as bh
    from borderhub.flowmap import add_flow_layer, flow_segments

    sol, cand, part = south_solution
    fmap = bh.corridor_map(cand, partners=part, corridors=datasets.corridors().iloc[:0],
                           self_contained=True)  # fmt: skip
    before_markers, before_lines = _paths(_run(_chromium(), tmp_path, _save(fmap, tmp_path, "a"),
                                               "--dump-dom").stdout)  # fmt: skip
    add_flow_layer(fmap, sol, cand, part)
    proc = _run(_chromium(), tmp_path, _save(fmap, tmp_path, "b"), "--dump-dom")
    assert _console_errors(proc.stderr) == []
    markers, lines = _paths(proc.stdout)
    seg = flow_segments(sol, cand, part)
    assert lines - before_lines >= len(seg)
    assert markers - before_markers == seg["gateway"].nunique()


def _save(fmap, tmp_path, name):
    path = tmp_path / f"{name}.html"
    fmap.save(str(path))
    return path.as_uri()
