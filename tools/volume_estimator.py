"""Estimate 2024 express volumes of the units without a sourced figure.

The estimator respects every statement the project's sources make about city volumes:

* **values** -- a sourced 2024 figure is kept as it is;
* **shares of a province** -- a sourced share gives the unit the province's 2024 volume times
  that share (kept fixed, like a value);
* **province totals** -- the units of a province add up to the province's 2024 volume;
* **ranks and list membership** -- a published rank order (the State Post Bureau's top-N city
  table of a year, as quoted) says which city handled more than which, and that a city absent
  from the list handled less than every listed one; a 2024 rank (郑州 14th of the top 50) says
  exactly how many units lie above the city.

Rank statements of other years are applied to the 2024 table as orders between two units
("a handled more than b"), each taken from the list **nearest to 2024** that decides the
pair. An order on which an older list agrees is *firm*; one an older list contradicts is
*weak*: weak orders are added one by one and kept only while they are consistent with the
2024 statements (values, shares, the 2024 rank). Orders between two units that both carry a
2024 figure are not imposed: the figures decide, and the disagreements are reported.

The prior of each estimated unit is a regression of the log share of the province's volume
on documented predictors (see :func:`predictors`), fitted to how the allocation treats a
sourced city when its figure is withheld (:func:`fit_allocation`); the estimate is the
allocation closest to that prior (least squares in log space, one free level per province,
a convex programme solved with HiGHS) that meets every statement. Its held-out error is measured by
leaving each sourced city out in turn (:func:`leave_one_out`), and reported as a bias (mean
log error) and a spread (standard deviation of the log errors).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Margin of a strict order in log terms (a > b means ln a >= ln b + MARGIN).
MARGIN = 1e-3
#: Ridge penalty of the prior's slopes (standardised predictors).
RIDGE = 0.01
#: Predictors of the log share of the province's volume (columns of :func:`predictors`).
PREDICTORS = ("log_pop_share", "urban_share", "capital", "cbec_by_2019", "named")


@dataclass
class Statements:
    """Rank statements: lists by year and the 2024 rank statements."""

    #: year -> (ordered adcodes of the list, size of the list, adcodes of uncertain slots)
    lists: dict[int, tuple[list[str], int, set[str]]] = field(default_factory=dict)
    #: (adcode, rank) of a 2024 rank statement
    ranks: list[tuple[str, int]] = field(default_factory=list)


def predictors(pref: pd.DataFrame, county: pd.DataFrame, admin: pd.DataFrame,
               cbec_batch: pd.Series, named: set[str]) -> pd.DataFrame:  # fmt: skip
    """Predictors of every unit, each computed from a sourced table.

    - ``log_pop_share``: ln(unit population / province population), 2020 census;
    - ``urban_share``: share of the unit's population living in its urban districts (county
      rows named ``…区``), 2020 census (1 for units without county rows);
    - ``capital``: 1 for the unit whose administrative centre is nearest to the province's
      centre in the admin-centre table (the provincial capital), else 0;
    - ``cbec_by_2019``: 1 if the unit holds a cross-border e-commerce pilot zone of batches
      1-4 (approved by 2019-12), else 0;
    - ``named``: 1 if a published city express table names the unit (a sourced city figure,
      or a place in a published rank list of any year), else 0. The city tables list the
      largest cities only, so a named unit is larger than its population alone says: this
      predictor corrects the bias of an estimate made from the other predictors (without
      it the held-out errors average -0.2).
    """
    out = pd.DataFrame(index=pref["adcode"].to_numpy())
    prov_pop = pref.groupby("prov_short")["population"].transform("sum")
    out["log_pop_share"] = np.log(pref["population"].to_numpy() / prov_pop.to_numpy())
    urban = (
        county[county["name"].str.endswith("区")].groupby("prefecture_adcode")["population"].sum()
    )
    total = county.groupby("prefecture_adcode")["population"].sum()
    share = (urban / total).reindex(out.index)
    out["urban_share"] = share.fillna(1.0).where(out.index.isin(total.index), 1.0).to_numpy()
    cap = np.zeros(len(out))
    codes = pref["adcode"].to_numpy()
    for _prov, idx in pref.groupby("prov_short").indices.items():
        pcode = codes[idx[0]][:2] + "0000"
        if pcode not in admin.index or len(idx) == 1:
            continue
        px, py = float(admin.loc[pcode, "lon_gcj02"]), float(admin.loc[pcode, "lat_gcj02"])
        pts = np.array([[float(admin.loc[c, "lon_gcj02"]), float(admin.loc[c, "lat_gcj02"])]
                        if c in admin.index else [np.inf, np.inf] for c in codes[idx]])  # fmt: skip
        d = np.hypot(pts[:, 0] - px, (pts[:, 1] - py))
        cap[idx[int(np.argmin(d))]] = 1.0
    out["capital"] = cap
    out["cbec_by_2019"] = (cbec_batch.reindex(out.index) <= 4).astype(float).to_numpy()
    out["named"] = out.index.isin(sorted(named)).astype(float)
    return out


def predict_prior(x: pd.DataFrame, coef: tuple[np.ndarray, np.ndarray, np.ndarray]) -> pd.Series:
    """Predicted log share of the province for every row of ``x``."""
    beta, mean, scale = coef
    z = (x.to_numpy(float) - mean) / scale
    return pd.Series(beta[0] + z @ beta[1:], index=x.index)


def orders(st: Statements, units: list[str], fixed: dict[str, float], prior: pd.Series,
           room: dict[str, tuple[str, float]] | None = None,
           year: int = 2024) -> tuple[list[tuple[str, str, str]], list[str]]:  # fmt: skip
    """The orders imposed on the table, and the statements not imposed (with the reason).

    ``room`` maps each estimated unit to its province and the province's volume left after
    the fixed figures: orders that would need more than that are not imposed either.
    Returns ``(pairs, notes)``: pairs ``(higher, lower, why)``, notes one line per order not
    imposed.
    """
    room = room or {}
    decided: dict[tuple[str, str], list[tuple[int, bool]]] = defaultdict(list)
    ranked = set().union(*(set(o) | u for o, _n, u in st.lists.values())) if st.lists else set()
    never = [u for u in units if u not in ranked]
    for y, (order, _size, uncertain) in st.lists.items():
        others = ranked - set(order) - uncertain  # ranked in another year, absent here
        for i, a in enumerate(order):
            for b in order[i + 1 :]:
                decided[tuple(sorted((a, b)))].append((y, a < b))
            for b in others:
                decided[tuple(sorted((a, b)))].append((y, a < b))
    # a unit never ranked is below every listed unit of every list (all lists agree): one
    # virtual node per list carries these orders (listed > @year > never ranked)
    lists = [
        [(a, f"@{y}", f"{y} list") for a in order] + [(f"@{y}", b, f"{y} list") for b in never]
        for y, (order, _n, _u) in sorted(st.lists.items())
    ]
    firm, weak, notes = [], [], []
    for (a, b), verdicts in decided.items():
        verdicts.sort(key=lambda v: (abs(v[0] - year), -v[0]))
        y0, a_higher = verdicts[0]
        hi, lo = (a, b) if a_higher else (b, a)
        agree = all(v[1] == a_higher for v in verdicts)
        why = f"{y0} list" + ("" if len(verdicts) == 1 else f" ({len(verdicts)} lists)")
        if hi in fixed and lo in fixed:
            if fixed[hi] < fixed[lo]:
                notes.append(f"{hi} above {lo} ({why}): both have a {year} figure, which decide")
            continue
        (firm if agree else weak).append((hi, lo, why))
    firm.sort(key=lambda p: (abs(int(p[2][:4]) - year), p[0], p[1]))
    weak.sort(key=lambda p: (abs(int(p[2][:4]) - year), p[0], p[1]))
    pairs: list[tuple[str, str, str]] = []
    for block in [*lists, firm]:
        pairs = _add_consistent(pairs, block, fixed, st, units, room, notes, year, "")
    pairs = _add_consistent(pairs, weak, fixed, st, units, room, notes, year,
                            "; an older list says otherwise")  # fmt: skip
    # 2024 ranks: exactly rank-1 units above the unit
    for code, rank in st.ranks:
        above, below = _forced(pairs, fixed, code, units)
        free = [u for u in units if u not in above and u not in below and u != code]
        free.sort(key=lambda u: (-_level(u, fixed, prior), u))
        rev: dict[str, set[str]] = defaultdict(set)
        for hi, lo, _ in pairs:
            rev[lo].add(hi)
        chosen = set(above)
        for u in free:  # highest prior first, each with every unit ordered above it
            if len(chosen) == rank - 1:
                break
            group = ({u} | _reach(rev, u)) - chosen
            if len(chosen) + len(group) <= rank - 1 and not group & below:
                chosen |= group
        if len(chosen) != rank - 1:
            raise ValueError(f"no set of {rank - 1} units above {code} fits the orders")
        for u in units:
            if u == code:
                continue
            if u in chosen:
                pairs.append((u, code, f"{year} rank {rank}"))
            else:
                pairs.append((code, u, f"{year} rank {rank}"))
    return pairs, notes


def _add_consistent(pairs, block, fixed, st, units, room, notes, year, why):
    """``pairs`` plus the orders of ``block`` that keep them consistent (bisection)."""
    if not block:
        return pairs
    if _consistent(pairs + block, fixed, st, units, room):
        return pairs + block
    if len(block) == 1:
        p = block[0]
        notes.append(
            f"{p[0]} above {p[1]} ({p[2]}{why}): not imposed, it contradicts a {year} statement"
        )
        return pairs
    half = len(block) // 2
    pairs = _add_consistent(pairs, block[:half], fixed, st, units, room, notes, year, why)
    return _add_consistent(pairs, block[half:], fixed, st, units, room, notes, year, why)


def _level(u: str, fixed: dict[str, float], prior: pd.Series) -> float:
    return np.log(fixed[u]) if u in fixed else float(prior.get(u, -np.inf))


def _graph(pairs: list[tuple[str, str, str]]) -> dict[str, set[str]]:
    g: dict[str, set[str]] = defaultdict(set)
    for hi, lo, _ in pairs:
        g[hi].add(lo)
    return g


def _reach(g: dict[str, set[str]], start: str) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        for n in g.get(stack.pop(), ()):
            if n not in seen:
                seen.add(n)
                stack.append(n)
    return seen


def _forced(pairs, fixed, code, units) -> tuple[set[str], set[str]]:
    """Units the orders and figures force above and below ``code``."""
    g = _graph(pairs)
    rev: dict[str, set[str]] = defaultdict(set)
    for hi, lo, _ in pairs:
        rev[lo].add(hi)
    above = _reach(rev, code)
    below = _reach(g, code)
    if code in fixed:
        v = fixed[code]
        for f, fv in fixed.items():
            if f == code:
                continue
            if fv > v:
                above |= {f} | _reach(rev, f)
            elif fv < v:
                below |= {f} | _reach(g, f)
    real = set(units)
    return above & real, below & real


def _consistent(pairs, fixed, st: Statements, units, room=None) -> bool:
    """No chain of orders puts a smaller figure above a larger one; the 2024 ranks fit.

    With ``room`` (unit -> (province, volume left)), the least volume the orders force on
    the estimated units of a province must also fit in what the province has left.
    """
    g = _graph(pairs)
    if room:
        need: dict[str, float] = defaultdict(float)
        for u in {hi for hi, _lo, _ in pairs}:
            if u in fixed or u not in room:
                continue
            floor = max((fixed[r] for r in _reach(g, u) if r in fixed), default=0.0)
            need[room[u][0]] += floor
        left = {q: v for q, v in room.values()}
        if any(need[q] >= left[q] for q in need):
            return False
    for f, fv in fixed.items():
        for r in _reach(g, f):
            if r == f:
                return False
            if r in fixed and fixed[r] > fv:
                return False
    for code, rank in st.ranks:
        above, below = _forced(pairs, fixed, code, units)
        if len(above) > rank - 1 or len(below) > len(units) - rank or above & below:
            return False
    return True


def allocate(pref: pd.DataFrame, totals: pd.Series, fixed: dict[str, float],
             prior: pd.Series, pairs: list[tuple[str, str, str]]) -> pd.Series:  # fmt: skip
    """Volumes of all units: fixed ones as given, the rest closest to the prior.

    Minimises sum (ln v_i - prior_i - c_p)^2 over the estimated units (one free level c_p per
    province) subject to the province totals and the orders, by SLSQP with an active set
    (orders are added when violated, until none is).
    """
    units = pref["adcode"].tolist()
    prov = dict(zip(pref["adcode"], pref["prov_short"], strict=True))
    est = [u for u in units if u not in fixed]
    remainder = {}
    for p, grp in pref.groupby("prov_short"):
        rem = float(totals[p]) - sum(fixed.get(u, 0.0) for u in grp["adcode"])
        remainder[p] = rem
    # closed form without orders
    out = {u: float(v) for u, v in fixed.items()}
    logv = {}
    for p, grp in pref.groupby("prov_short"):
        codes = [u for u in grp["adcode"] if u not in fixed]
        if not codes:
            continue
        if remainder[p] <= 0:
            raise ValueError(f"sourced figures exceed the total of {p}")
        mu = np.array([prior[u] for u in codes])
        c = np.log(remainder[p]) - np.log(np.exp(mu).sum())
        for u, m in zip(codes, mu, strict=True):
            logv[u] = m + c
    for v in sorted({u for pr in pairs for u in pr[:2] if u not in prov}):  # virtual nodes
        above = [_lv(a, fixed, logv) for a, b, _ in pairs if b == v]
        below = [_lv(b, fixed, logv) for a, b, _ in pairs if a == v]
        logv[v] = (min(above, default=max(below)) + max(below, default=min(above))) / 2
    active: list[tuple[str, str, str]] = []
    members_of: dict[str, list[str]] = defaultdict(list)
    for u in est:
        members_of[prov[u]].append(u)
    for _round in range(30):
        violated = [
            pr for pr in pairs
            if pr not in active and _lv(pr[0], fixed, logv) < _lv(pr[1], fixed, logv) + MARGIN / 2
        ]  # fmt: skip
        if not violated:
            break
        active += violated
        # units named by an active order move on their own; the other units of their
        # province keep their prior shape and move with the province level c_p
        free = sorted({u for pr in active for u in pr[:2] if u not in fixed})
        provs = sorted({prov[u] for u in free if u in prov})
        solved = _solve_orders(free, provs, prov, prior, fixed, active, remainder,
                               members_of, logv)  # fmt: skip
        for q in provs:
            for u in members_of[q]:
                logv[u] = solved[u] if u in solved else prior[u] + solved[q]
        for u in free:
            if u not in prov:
                logv[u] = solved[u]
    else:
        raise ValueError("volume allocation: orders still violated after 30 rounds")
    for q, codes in members_of.items():  # exact province totals (a shift of about 1e-7)
        vals = np.exp([logv[u] for u in codes])
        vals *= remainder[q] / vals.sum()
        for u, v in zip(codes, vals, strict=True):
            out[u] = float(v)
    return pd.Series(out).reindex(units)


def _solve_orders(free, provs, prov, prior, fixed, active, remainder, members_of, logv):
    """Least squares in log space under the active orders and the province totals.

    A convex quadratic programme (HiGHS) in the log volumes of ``free`` and one level per
    province; the province total, a sum of exponentials, is linearised at the current point
    and the programme re-solved until the totals hold to 1e-7 (Newton steps; the caller
    then rescales each province exactly, far inside the orders' margin).
    """
    import highspy
    import scipy.sparse as sp

    virt = [u for u in free if u not in prov]  # virtual nodes of the list orders
    free = [u for u in free if u in prov]
    n, k = len(free), len(provs)
    idx = {u: i for i, u in enumerate(free)}
    pidx = {q: n + i for i, q in enumerate(provs)}
    idx.update({v: n + k + j for j, v in enumerate(virt)})
    mu = np.array([prior[u] for u in free])
    cols = np.array([pidx[prov[u]] for u in free])
    rest = {q: float(sum(np.exp(prior[u]) for u in members_of[q] if u not in idx)) for q in provs}
    x = np.concatenate([[logv[u] for u in free], np.zeros(k), [logv[v] for v in virt]])
    k_all = k + len(virt)
    for q in provs:
        u0 = members_of[q][0]
        x[pidx[q]] = logv[u0] - prior[u0]
    # objective sum (y_u - c_p - mu_u)^2 = 1/2 x'Qx + g'x + const
    q_mat = np.zeros((n + k_all, n + k_all))
    g = np.zeros(n + k_all)
    for i in range(n):
        c = cols[i]
        q_mat[i, i] += 2.0
        q_mat[c, c] += 2.0
        q_mat[i, c] -= 2.0
        q_mat[c, i] -= 2.0
        g[i] -= 2.0 * mu[i]
        g[c] += 2.0 * mu[i]
    for v in virt:  # a virtual node stays near its start unless an order moves it
        q_mat[idx[v], idx[v]] += 2e-6
        g[idx[v]] -= 2e-6 * logv[v]
    order_rows, order_lo = [], []
    for hi, lo, _ in active:
        row = np.zeros(n + k_all)
        b = MARGIN
        if hi in fixed:
            b -= np.log(fixed[hi])
        else:
            row[idx[hi]] += 1.0
        if lo in fixed:
            b += np.log(fixed[lo])
        else:
            row[idx[lo]] -= 1.0
        order_rows.append(row)
        order_lo.append(b)
    big = highspy.kHighsInf
    lam = {q: 0.0 for q in provs}  # multipliers of the province totals (previous step)
    for _step in range(200):
        # Hessian of the Lagrangian: the totals' curvature where it keeps the programme convex
        q_step, g_step = q_mat.copy(), g.copy()
        for q in provs:
            m = [idx[u] for u in free if prov[u] == q] + [pidx[q]]
            w = np.exp(x[m]) * np.array([1.0] * (len(m) - 1) + [rest[q]]) * max(0.0, -lam[q])
            q_step[m, m] += w
            g_step[m] -= w * x[m]
        hess = sp.csc_matrix(np.tril(q_step))
        rows, lo_b, up_b = list(order_rows), list(order_lo), [big] * len(order_rows)
        worst = 0.0
        for q in provs:
            m = [idx[u] for u in free if prov[u] == q]
            e = np.exp(x[m])
            ec = rest[q] * np.exp(x[pidx[q]])
            total = e.sum() + ec
            worst = max(worst, abs(total / remainder[q] - 1.0))
            row = np.zeros(n + k_all)
            row[m] = e
            row[pidx[q]] = ec
            rhs = remainder[q] - total + float(row @ x)
            rows.append(row)
            lo_b.append(rhs)
            up_b.append(rhs)
        if _step and worst < 1e-6:
            break
        a = sp.csc_matrix(np.array(rows))
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n + k_all, len(rows)
        lp.col_cost_ = g_step
        lp.col_lower_ = np.full(n + k_all, -big)
        lp.col_upper_ = np.full(n + k_all, big)
        lp.row_lower_ = np.array(lo_b)
        lp.row_upper_ = np.array(up_b)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data
        h.passModel(lp)
        hh = highspy.HighsHessian()
        hh.dim_ = n + k_all
        hh.format_ = highspy.HessianFormat.kTriangular
        hh.start_ = hess.indptr.astype(np.int32)
        hh.index_ = hess.indices.astype(np.int32)
        hh.value_ = hess.data
        h.passHessian(hh)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise ValueError(f"volume allocation: {h.modelStatusToString(h.getModelStatus())}")
        sol = h.getSolution()
        x = np.array(sol.col_value)
        duals = np.array(sol.row_dual)
        for i, q in enumerate(provs):
            lam[q] = float(duals[len(order_rows) + i])
    else:
        raise ValueError("volume allocation: province totals not met after 200 steps")
    out = {u: float(x[idx[u]]) for u in free + virt}
    out.update({q: float(x[pidx[q]]) for q in provs})
    return out


def _lv(u: str, fixed: dict[str, float], logv: dict[str, float]) -> float:
    return float(np.log(fixed[u])) if u in fixed else logv[u]


def fit_allocation(pref: pd.DataFrame, totals: pd.Series, fixed: dict[str, float],
                   train: dict[str, float], x: pd.DataFrame) -> tuple:  # fmt: skip
    """Slopes of the prior fitted to how the allocation treats a city without a figure.

    For each sourced city ``k`` of a province with other units, the allocation without its
    figure gives it ``(R_p + v_k) exp(mu_k) / (exp(mu_k) + sum_j exp(mu_j))`` (``R_p`` the
    province's volume left after the fixed figures, ``j`` its units without a figure). The
    slopes minimise the sum of squared ``ln(allocation / v_k)`` plus a ridge penalty
    (:data:`RIDGE`, standardised predictors); the intercept cancels in the allocation.
    """
    from scipy.optimize import least_squares

    prov = dict(zip(pref["adcode"], pref["prov_short"], strict=True))
    xv = x[list(PREDICTORS)]
    mean = xv.to_numpy(float).mean(axis=0)
    scale = xv.to_numpy(float).std(axis=0)
    scale[scale == 0] = 1.0
    z = pd.DataFrame((xv.to_numpy(float) - mean) / scale, index=x.index)
    left = {
        q: float(totals[q]) - sum(fixed.get(u, 0.0) for u in g)
        for q, g in pref.groupby("prov_short")["adcode"]
    }
    rest = {q: [u for u in g if u not in fixed] for q, g in pref.groupby("prov_short")["adcode"]}
    cases = [
        (k, prov[k], left[prov[k]] + train[k], rest[prov[k]])
        for k in sorted(train)
        if len(pref[pref["prov_short"] == prov[k]]) > 1 and k in fixed
    ]

    def resid(beta):
        mu = z.to_numpy() @ beta
        e = pd.Series(np.exp(mu - mu.max()), index=z.index)
        r = []
        for k, _q, room, others in cases:
            share = e[k] / (e[k] + float(e[others].sum()))
            r.append(np.log(room * share / train[k]))
        return np.concatenate([r, np.sqrt(RIDGE) * beta])

    fit = least_squares(resid, np.zeros(len(PREDICTORS)), method="lm", xtol=1e-12, ftol=1e-12)
    beta = np.concatenate([[0.0], fit.x])
    return beta, mean, scale


def estimate(pref: pd.DataFrame, totals: pd.Series, fixed: dict[str, float],
             train: dict[str, float], x: pd.DataFrame, st: Statements
             ) -> tuple[pd.Series, list[tuple[str, str, str]], list[str], tuple]:  # fmt: skip
    """Fit the prior on ``train`` (sourced city figures) and allocate every unit."""
    prov = dict(zip(pref["adcode"], pref["prov_short"], strict=True))
    coef = fit_allocation(pref, totals, fixed, train, x)
    prior = predict_prior(x[list(PREDICTORS)], coef)
    units = pref["adcode"].tolist()
    left = {
        q: float(totals[q]) - sum(fixed.get(u, 0.0) for u in g)
        for q, g in pref.groupby("prov_short")["adcode"]
    }
    room = {u: (prov[u], left[prov[u]]) for u in units if u not in fixed}
    pairs, notes = orders(st, units, fixed, prior, room)
    return allocate(pref, totals, fixed, prior, pairs), pairs, notes, coef


def leave_one_out(pref: pd.DataFrame, totals: pd.Series, fixed: dict[str, float],
                  train: dict[str, float], x: pd.DataFrame,
                  st: Statements) -> pd.Series:  # fmt: skip
    """ln(estimate / figure) of each sourced city estimated without its own figure."""
    prov = pref.groupby("prov_short")["adcode"].transform("size")
    multi = set(pref.loc[prov > 1, "adcode"])
    errors = {}
    for code in sorted(train):
        if code not in multi:
            continue
        f = {k: v for k, v in fixed.items() if k != code}
        t = {k: v for k, v in train.items() if k != code}
        try:
            vol, _pairs, _notes, _coef = estimate(pref, totals, f, t, x, st)
        except ValueError as err:
            raise ValueError(f"held out {code}: {err}") from err
        errors[code] = float(np.log(vol[code] / train[code]))
    return pd.Series(errors, dtype=float)
