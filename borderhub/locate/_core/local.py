"""Interchange local search on nearest-candidate lists: :func:`swap_lists`.

The list counterpart of :func:`~borderhub.locate._core.starts.swap` for instances held as
:class:`~borderhub.locate._core.nearest.Lists` (no cost matrix). The change of the objective
when centre ``r`` closes and candidate ``j`` opens splits, after Whitaker (1983) and
Resende & Werneck (2007), into a gain of ``j`` alone, a loss of ``r`` alone and a sparse
correction over the pairs ``(r, j)`` with some demand point served by ``r`` and closer to
``j`` than to its second open centre:

    delta(r, j) = gain_j + loss_r + extra_rj
    gain_j  = sum_i w_i min(0, c_ij - d1_i)
    loss_r  = sum_{i: r serves i} w_i (d2_i - d1_i)
    extra_rj = sum_{i: r serves i, c_ij < d2_i} w_i ((c_ij - d2_i) - min(0, c_ij - d1_i))

(``d1``, ``d2``: costs of the nearest and second open centre). Entries missing from a row
only make a move look worse than it is, so a move judged improving improves; the exact
objective is computed after every move all the same.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from borderhub.locate._core.nearest import Lists
from borderhub.locate._core.policy import Policy

__all__ = ["BATCH_FROM", "swap_lists"]

#: From this many open centres the search makes many independent improving swaps at once
#: (one at a time is too slow there; below, the one-move path finds better local optima).
BATCH_FROM = 2000


def _moves(L: Lists, rowid: np.ndarray, w: np.ndarray, opened: np.ndarray,
           is_open: np.ndarray, cols: np.ndarray, d: np.ndarray, pol: Policy,
           f: np.ndarray, free_count: bool) -> tuple[Any, ...]:  # fmt: skip
    """The best move and the improving swaps of the sparse pairs.

    Returns (kind, estimated change, position in ``opened``, candidate, (delta, r, j) of
    every improving sparse swap, for a batch of moves).
    """
    m, p = L.m, len(opened)
    d1 = d[:, 0]
    d2 = d[:, 1] if d.shape[1] > 1 else np.full(len(d1), np.inf)
    pos_of = np.full(m, -1, dtype=np.int64)
    pos_of[opened] = np.arange(p)
    near = pos_of[cols[:, 0]]
    dist, idx = L.dist, L.idx
    wr = w[rowid]
    gain = np.bincount(idx, wr * np.minimum(0.0, dist - d1[rowid]), minlength=m)
    finite2 = np.isfinite(d2)
    loss = np.bincount(near[finite2], (w * (d2 - d1))[finite2], minlength=p)
    loss[np.bincount(near[~finite2], minlength=p) > 0] = np.inf
    closed_ok = ~is_open
    open_ok = ~pol.required[opened]
    best: tuple[str, float, int, int] = ("none", 0.0, -1, -1)
    good: tuple[np.ndarray, ...] = (np.zeros(0), np.zeros(0, int), np.zeros(0, int))
    if p > 1 or not free_count:
        sel = (dist < d2[rowid]) & ~is_open[idx]
        r_e = rowid[sel]
        key = near[r_e].astype(np.int64) * m + idx[sel]
        ev = w[r_e] * ((dist[sel] - d2[r_e]) - np.minimum(0.0, dist[sel] - d1[r_e]))
        uk, inv = np.unique(key, return_inverse=True)
        extra = np.bincount(inv, ev, minlength=len(uk))
        ru, ju = uk // m, uk % m
        delta = gain[ju] + loss[ru] + extra + f[ju] - f[opened[ru]]
        delta[~open_ok[ru]] = np.inf
        if len(pol.lo):
            delta[~_pair_ok(pol, opened, ru, ju)] = np.inf
        imp = np.flatnonzero(delta < 0)
        good = (delta[imp], ru[imp], ju[imp])
        if delta.size and np.isfinite(delta).any():
            k = int(np.argmin(delta))
            best = ("swap", float(delta[k]), int(ru[k]), int(ju[k]))
        gj = np.where(closed_ok, gain + f, np.inf)
        lr = np.where(open_ok, loss - f[opened], np.inf)
        j, r = int(np.argmin(gj)), int(np.argmin(lr))
        val = float(gj[j] + lr[r])
        if val < best[1] and (not len(pol.lo) or _pair_ok(pol, opened, np.array([r]),
                                                          np.array([j]))[0]):  # fmt: skip
            best = ("swap", val, r, j)
    if free_count:
        add = np.where(closed_ok, gain + f, np.inf)
        drop = np.where(open_ok, loss - f[opened], np.inf) if p > 1 else np.full(p, np.inf)
        if len(pol.lo):
            add[~_add_ok(pol, opened)] = np.inf
            drop[~_drop_ok(pol, opened)] = np.inf
        ja, rd = int(np.argmin(add)), int(np.argmin(drop))
        if add[ja] < best[1]:
            best = ("add", float(add[ja]), -1, ja)
        if drop[rd] < best[1]:
            best = ("drop", float(drop[rd]), rd, -1)
    return (*best, good)


def _groups(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR grouping of positions by ``keys`` (in ``0..size-1``): (indptr, members)."""
    order = np.argsort(keys, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(keys, minlength=size))])
    return indptr, order


def _batch(L: Lists, rowid: np.ndarray, opened: np.ndarray, cols: np.ndarray,
           d: np.ndarray, good: tuple[np.ndarray, ...]) -> list[tuple[int, int]]:  # fmt: skip
    """Improving swaps that touch disjoint demand points, best first.

    A swap ``(r, j)`` touches the points ``r`` serves, those whose second open centre is
    ``r`` and those closer to ``j`` than to their centre; swaps touching disjoint points
    change the objective by the sum of their changes.
    """
    delta, ru, ju = good
    if delta.size < 2 or d.shape[1] < 2:
        return []
    n, p = len(d), len(opened)
    pos_of = np.full(L.m, -1, dtype=np.int64)
    pos_of[opened] = np.arange(p)
    near, second = pos_of[cols[:, 0]], pos_of[cols[:, 1]]
    s_ptr, s_mem = _groups(near, p)
    t_ptr, t_mem = _groups(np.where(second >= 0, second, p), p + 1)
    gsel = np.flatnonzero(L.dist < d[rowid, 0])
    g_ptr, g_ord = _groups(L.idx[gsel].astype(np.int64), L.m)
    g_mem = rowid[gsel][g_ord]
    touched = np.zeros(n, dtype=bool)
    used_r = np.zeros(p, dtype=bool)
    used_j = np.zeros(L.m, dtype=bool)
    chosen = []
    for k in np.argsort(delta, kind="stable")[:5000]:
        r, j = int(ru[k]), int(ju[k])
        if used_r[r] or used_j[j]:
            continue
        pts = np.concatenate([s_mem[s_ptr[r] : s_ptr[r + 1]], t_mem[t_ptr[r] : t_ptr[r + 1]],
                              g_mem[g_ptr[j] : g_ptr[j + 1]]])  # fmt: skip
        if touched[pts].any():
            continue
        touched[pts] = True
        used_r[r] = used_j[j] = True
        chosen.append((r, j))
    return chosen


def _pair_ok(pol: Policy, opened: np.ndarray, ru: np.ndarray, ju: np.ndarray) -> np.ndarray:
    cnt = pol.counts(opened)
    gin, gout = pol.gcode[ju], pol.gcode[opened[ru]]
    same = gin == gout
    bad_in = (gin >= 0) & (cnt[np.maximum(gin, 0)] + 1 > pol.hi[np.maximum(gin, 0)])
    bad_out = (gout >= 0) & (cnt[np.maximum(gout, 0)] - 1 < pol.lo[np.maximum(gout, 0)])
    return same | ~(bad_in | bad_out)


def _add_ok(pol: Policy, opened: np.ndarray) -> np.ndarray:
    cnt, g = pol.counts(opened), pol.gcode
    return ~((g >= 0) & (cnt[np.maximum(g, 0)] + 1 > pol.hi[np.maximum(g, 0)]))


def _drop_ok(pol: Policy, opened: np.ndarray) -> np.ndarray:
    cnt, g = pol.counts(opened), pol.gcode[opened]
    return ~((g >= 0) & (cnt[np.maximum(g, 0)] - 1 < pol.lo[np.maximum(g, 0)]))


def swap_lists(L: Lists, w: np.ndarray, opened: np.ndarray, pol: Policy,
               fixed: np.ndarray | None = None, seconds: float = 2.0) -> np.ndarray:  # fmt: skip
    """Best-improvement interchange on lists, within ``seconds`` of wall time.

    With opening costs ``fixed`` (fixed-charge model) adding and dropping a centre are
    moves too. Returns the positions of the open candidates.
    """
    opened = np.asarray(opened, dtype=np.int64).copy()
    L = L.copy()  # grown below as the moves need; the caller's lists stay as they are
    free_count = fixed is not None
    f = np.zeros(L.m) if fixed is None else fixed
    rowid = L.rowid
    stop = time.perf_counter() + seconds
    is_open = np.zeros(L.m, dtype=bool)
    is_open[opened] = True
    cols, d = L.nearest_open(is_open, 2)
    obj = float(w @ d[:, 0]) + float(f[opened].sum())
    while time.perf_counter() < stop and len(w):
        if d.shape[1] > 1:  # every pair cheaper than a point's second centre, listed
            short = np.flatnonzero(~L.complete & (L.rest < d[:, 1]))
            while short.size:
                L.grow(short)
                short = short[~L.complete[short] & (L.rest[short] < d[short, 1])]
        if len(L.idx) != len(rowid):
            rowid = L.rowid
        kind, val, r, j, good = _moves(L, rowid, w, opened, is_open, cols, d, pol, f,
                                       free_count)  # fmt: skip
        if not val < -1e-9 * max(1.0, abs(obj)):
            break
        if not free_count and not len(pol.lo) and len(opened) >= BATCH_FROM:
            chosen = _batch(L, rowid, opened, cols, d, good)
            if len(chosen) > 1:
                trial = opened.copy()
                for rr, jj in chosen:
                    trial[rr] = jj
                t_open = np.zeros(L.m, dtype=bool)
                t_open[trial] = True
                t_cols, t_d = L.nearest_open(t_open, 2)
                t_obj = float(w @ t_d[:, 0])
                if t_obj < obj:
                    opened, is_open, cols, d, obj = trial, t_open, t_cols, t_d, t_obj
                    continue
        trial = opened.copy()
        if kind == "swap":
            trial[r] = j
        elif kind == "add":
            trial = np.append(trial, j)
        else:
            trial = np.delete(trial, r)
        t_open = np.zeros(L.m, dtype=bool)
        t_open[trial] = True
        t_cols, t_d = L.nearest_open(t_open, 2)
        t_obj = float(w @ t_d[:, 0]) + float(f[trial].sum())
        if not t_obj < obj:
            break
        opened, is_open, cols, d, obj = trial, t_open, t_cols, t_d, t_obj
    return opened
