"""Heuristic starts: greedy add and interchange local search under the policy constraints.

:func:`greedy` is the plain vectorised greedy add that seeds the level truncation of the
radius formulation; :func:`heuristic` (greedy add, then :func:`swap`) respects the policy
constraints and gives the exact methods their first incumbent and upper bound.
"""

from __future__ import annotations

import math
import time

import numpy as np

from borderhub.locate._core.policy import Policy

__all__ = ["SWAP_SECONDS", "greedy", "heuristic", "serve_cost", "swap"]

#: Wall-clock cap of one local search (it only improves the start; the exact phase does the
#: rest).
SWAP_SECONDS = 2.0


def greedy(
    C: np.ndarray, w: np.ndarray, p: int | None, start: np.ndarray, fixed: np.ndarray | None
) -> np.ndarray:
    """Greedy add heuristic (vectorised): positions of the chosen columns of ``C``."""
    n, m = C.shape
    opened = [int(j) for j in start]
    cur = C[:, opened].min(axis=1) if opened else np.full(n, np.inf)
    fixed = np.zeros(m) if fixed is None else fixed
    total = float(w @ cur) + float(fixed[opened].sum()) if opened else math.inf
    target = m if p is None else p
    while len(opened) < target:
        tot = (w[:, None] * np.minimum(cur[:, None], C)).sum(axis=0) + fixed
        tot[opened] = np.inf
        base = float(fixed[opened].sum())
        tot += base
        j = int(np.argmin(tot))
        if p is None and opened and tot[j] >= total:
            break
        opened.append(j)
        cur = np.minimum(cur, C[:, j])
        total = float(tot[j])
        if n == 0 and p is None:
            break
    return np.array(opened, dtype=np.int64)


def heuristic(C: np.ndarray, w: np.ndarray, p: int | None, pol: Policy,
              fixed: np.ndarray | None = None) -> np.ndarray | None:  # fmt: skip
    """Greedy add, then local search; ``None`` if no feasible start was found.

    With ``p`` None (fixed-charge model, opening costs ``fixed``) candidates are added while
    that lowers the total cost, then as many as the group minima need.
    """
    n, m = C.shape
    f = np.zeros(m) if fixed is None else fixed
    opened: list[int] = [int(j) for j in np.flatnonzero(pol.required)]
    cur = C[:, opened].min(axis=1) if opened else np.full(n, np.inf)
    cnt = pol.counts(np.array(opened, dtype=np.int64))
    is_open = np.zeros(m, dtype=bool)
    is_open[opened] = True
    g = pol.gcode
    grouped = g >= 0
    total = serve_cost(C, w, np.array(opened, dtype=np.int64), f) if opened else math.inf
    buf = np.empty_like(C)
    while p is None or len(opened) < p:
        need = np.maximum(pol.lo - cnt, 0)
        ok = ~is_open
        ok[grouped] &= cnt[g[grouped]] < pol.hi[g[grouped]]
        if p is not None and need.sum() >= p - len(opened):
            # every remaining slot must go to a group below its minimum
            ok &= grouped
            ok[grouped] &= need[g[grouped]] > 0
        cand = np.flatnonzero(ok)
        if cand.size == 0:
            if p is None:
                break
            return None
        if n and np.isfinite(cur).all():
            if cand.size > m // 2:  # the whole matrix: no copy of the columns
                tot = (w @ np.minimum(cur[:, None], C, out=buf))[cand]
            else:
                tot = w @ np.minimum(cur[:, None], C[:, cand])
        elif n:
            tot = w @ C[:, cand]
        else:
            tot = np.zeros(cand.size)
        tot = tot + f[cand] + (f[opened].sum() if opened else 0.0)
        k = int(np.argmin(tot))
        if p is None and opened and not tot[k] < total:
            if need.sum() == 0:
                break
            # the group minima still need centres: the cheapest of the groups short of one
            short = grouped[cand] & (need[np.maximum(g[cand], 0)] > 0)
            k = int(np.flatnonzero(short)[np.argmin(tot[short])])
        j = int(cand[k])
        opened.append(j)
        total = float(tot[k])
        is_open[j] = True
        if g[j] >= 0:
            cnt[g[j]] += 1
        cur = np.minimum(cur, C[:, j])
    out = np.array(opened, dtype=np.int64)
    if not pol.feasible(out, p):
        return None
    if n == 0 or (p is not None and p == m):
        return out
    return swap(C, w, out, pol, fixed)


def swap(C: np.ndarray, w: np.ndarray, opened: np.ndarray, pol: Policy,
          fixed: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """Best-improvement interchange (Teitz & Bart 1968) in O(n m) per move.

    With opening costs ``fixed`` (fixed-charge model) adding and dropping a centre are
    moves too, and every move is charged the change in opening cost.
    """
    n, m = C.shape
    opened = opened.copy()
    free_count = fixed is not None
    f = np.zeros(m) if fixed is None else fixed
    rows = np.arange(n)
    stop = time.perf_counter() + SWAP_SECONDS
    for _ in range(50 * max(len(opened), 1) + (m if free_count else 0)):
        if time.perf_counter() > stop:
            break
        p = len(opened)
        sub = C[:, opened]
        if p > 1:
            part = np.argpartition(sub, 1, axis=1)
            near = part[:, 0]
            d1 = sub[rows, near]
            d2 = sub[rows, part[:, 1]]
        else:
            near = np.zeros(n, dtype=np.int64)
            d1 = sub[:, 0]
            d2 = np.full(n, np.inf)
        obj = float(w @ d1) + float(f[opened].sum())
        m1 = np.minimum(C, d1[:, None])
        gain = w @ (m1 - d1[:, None])  # <= 0: adding j
        loss_rows = w[:, None] * (np.minimum(C, d2[:, None]) - m1)  # >= 0
        order = np.argsort(near, kind="stable")
        starts = np.searchsorted(near[order], np.arange(p))
        loss = np.zeros((p, m))
        nonempty = starts < n
        present = np.bincount(near, minlength=p) > 0
        if nonempty.any():
            red = np.add.reduceat(loss_rows[order], starts[nonempty], axis=0)
            # reduceat gives the next group's rows for empty groups: keep only real ones
            loss[nonempty] = red
            loss[~present] = 0.0
        delta = gain[None, :] + loss + f[None, :] - f[opened][:, None]
        is_open = np.zeros(m, dtype=bool)
        is_open[opened] = True
        delta[:, is_open] = np.inf
        fixed_out = pol.required[opened]
        delta[fixed_out, :] = np.inf
        cnt = pol.counts(opened)
        if len(pol.lo):
            gin = pol.gcode[None, :]
            gout = pol.gcode[opened][:, None]
            same = gin == gout
            bad_in = (gin >= 0) & (cnt[np.maximum(gin, 0)] + 1 > pol.hi[np.maximum(gin, 0)])
            bad_out = (gout >= 0) & (cnt[np.maximum(gout, 0)] - 1 < pol.lo[np.maximum(gout, 0)])
            delta[~same & (bad_in | bad_out)] = np.inf
        r, j = np.unravel_index(int(np.argmin(delta)), delta.shape)
        move, val = "swap", float(delta[r, j])
        if free_count:
            add = gain + f
            add[is_open] = np.inf
            drop_rows = w * (d2 - d1)
            drop = np.bincount(near, weights=drop_rows, minlength=p) - f[opened]
            if p <= 1:
                drop[:] = np.inf
            drop[fixed_out] = np.inf
            if len(pol.lo):
                ga, go = np.maximum(pol.gcode, 0), np.maximum(pol.gcode[opened], 0)
                add[(pol.gcode >= 0) & (cnt[ga] + 1 > pol.hi[ga])] = np.inf
                drop[(pol.gcode[opened] >= 0) & (cnt[go] - 1 < pol.lo[go])] = np.inf
            ja, rd = int(np.argmin(add)), int(np.argmin(drop))
            if add[ja] < val:
                move, val = "add", float(add[ja])
            if drop[rd] < val:
                move, val = "drop", float(drop[rd])
        if not val < -1e-9 * max(1.0, abs(obj)):
            break
        if move == "swap":
            opened[r] = j
        elif move == "add":
            opened = np.append(opened, ja)
        else:
            opened = np.delete(opened, rd)
    return opened


def serve_cost(
    C: np.ndarray, w: np.ndarray, opened: np.ndarray, fixed: np.ndarray | None = None
) -> float:
    """Weighted cost of serving every point from its cheapest centre in ``opened``."""
    serve = float(w @ C[:, opened].min(axis=1)) if len(w) else 0.0
    return serve + (float(fixed[opened].sum()) if fixed is not None else 0.0)
