"""Level rows of the radius formulation: :class:`Levels`.

For demand point ``i`` let ``D_i^0 < D_i^1 < ...`` be its distinct effective costs to the
allowed candidates and ``S_i^l`` the candidates at cost ``D_i^l``. Variable ``z_i^l >= 0``
is 1 when no centre within ``D_i^l`` is open; the chained rows

    z_i^0 + sum_{j in S_i^0} y_j >= 1,    z_i^l - z_i^{l-1} + sum_{j in S_i^l} y_j >= 0

charge ``w_i * (D_i^0 + sum_l (D_i^{l+1} - D_i^l) * z_i^l)``. :class:`Levels` holds each
row's sorted costs, writes the rows truncated at a number of positions per row into any
:class:`~.builder.Builder`, and tells which rows a solution undercharges (see
:mod:`borderhub.locate._radius` for the method that uses them).
"""

from __future__ import annotations

import numpy as np

from borderhub.locate._core.builder import GE, Builder

__all__ = ["SLACK_MIN", "SLACK_PER", "Levels"]

#: Extra positions beyond the heuristic's centre given to every demand point at the start
#: are ``max(SLACK_MIN, SLACK_PER * ceil(m / p))`` (tuned on the county instances: one
#: solver call usually suffices, and the model stays a tenth of the full one).
SLACK_MIN = 10
SLACK_PER = 2


class Levels:
    """Sorted costs and level indices of each demand row."""

    def __init__(self, C: np.ndarray, cap: int) -> None:
        n, m = C.shape
        self.n, self.m = n, m
        self.order = np.argsort(C, axis=1, kind="stable")
        self.S = np.take_along_axis(C, self.order, axis=1)
        new = np.ones((n, m), dtype=bool)
        if m > 1:
            new[:, 1:] = self.S[:, 1:] > self.S[:, :-1]
        self.new = new
        self.lev = np.cumsum(new, axis=1) - 1
        # A row may hold +inf for candidates that cannot serve it (cross-border commodities
        # a centre cannot route): its levels stop at its last finite cost, whose level row
        # then has no z, so one of its finite candidates must open.
        reach = np.isfinite(self.S).sum(axis=1)
        self.full = self.boundary(np.minimum(min(cap, m), reach))

    def boundary(self, k: np.ndarray) -> np.ndarray:
        """Extend each count ``k_i`` so it ends on a level boundary (ties included)."""
        if self.n == 0:
            return k.astype(np.int64)
        k = np.clip(k, 1, self.m).astype(np.int64)
        last = self.lev[np.arange(self.n), k - 1]
        return (self.lev <= last[:, None]).sum(axis=1)

    def initial(self, C: np.ndarray, opened: np.ndarray, slack: int) -> np.ndarray:
        """Counts covering each row's cheapest centre in ``opened`` plus ``slack``."""
        if self.n == 0:
            return np.zeros(0, dtype=np.int64)
        if len(opened) == 0:
            k = np.full(self.n, 1 + slack)
        else:
            near = np.asarray(opened)[C[:, opened].argmin(axis=1)]
            rank = np.empty_like(self.order)
            np.put_along_axis(rank, self.order, np.arange(self.m)[None, :], axis=1)
            k = rank[np.arange(self.n), near] + 1 + slack
        return np.minimum(self.boundary(k), self.full)

    def add_rows(
        self, b: Builder, y: np.ndarray, w: np.ndarray, k: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The level rows of every demand row truncated at ``k_i`` positions.

        Returns the ``z`` variables with, for each, its demand row and the cost step it
        charges (its objective coefficient is ``w[row] * step``, so a caller can re-weight
        the same model without rebuilding it).
        """
        n, m = self.n, self.m
        if n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return np.empty(0, dtype=object), empty, np.zeros(0)
        mask = np.arange(m)[None, :] < k[:, None]
        ii, rr = np.nonzero(mask)
        levf = self.lev[ii, rr]
        newf = self.new[ii, rr]
        sf = self.S[ii, rr]
        L = self.lev[np.arange(n), k - 1] + 1
        trunc = k < self.full
        ro = np.concatenate([[0], np.cumsum(L)[:-1]])
        li, ll, lcost = ii[newf], levf[newf], sf[newf]
        R = len(li)
        last = ll == L[li] - 1
        exists = ~last | trunc[li]
        dnext = np.empty(R)
        dnext[:-1] = lcost[1:]
        lt = np.flatnonzero(last & exists)
        dnext[lt] = self.S[li[lt], k[li[lt]]]
        z = b.variables("z", int(exists.sum()), 0.0, None)
        zid = np.cumsum(exists) - 1
        with_z = np.flatnonzero(exists)
        prev = np.flatnonzero(ll > 0)
        row = np.concatenate([ro[ii] + levf, with_z, prev])
        var = np.concatenate([y[self.order[ii, rr]], z[zid[with_z]], z[zid[prev - 1]]])
        coef = np.concatenate([np.ones(len(ii)), np.ones(len(with_z)), -np.ones(len(prev))])
        b.rows("lvl", row, var, coef, GE, (ll == 0).astype(float), R)
        step = dnext[exists] - lcost[exists]
        b.objective(z, w[li[exists]] * step)
        b.constant += float(w @ self.S[:, 0])
        return z, li[exists], step

    def undercharged(self, k: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Rows whose true cost ``t_i`` exceeds what the truncated model charges."""
        trunc = k < self.full
        nxt = self.S[np.arange(self.n), np.minimum(k, self.m - 1)]
        return trunc & (t > nxt)

    def expand(self, k: np.ndarray, t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """More levels for ``rows``: up to their true cost, and at least doubled."""
        k = k.copy()
        reach = (self.S[rows] <= t[rows, None]).sum(axis=1)
        k[rows] = np.maximum(reach, 2 * k[rows])
        return np.minimum(self.boundary(k), self.full)
