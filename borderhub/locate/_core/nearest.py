"""Each demand point's candidates sorted by cost, grown on demand: :class:`Lists`.

The exact methods of the p-median and the uncapacitated facility location only ever look at
a prefix of each demand point's candidates sorted by cost: the Benders cuts of a point reach
as far as its nearest open centre in the LP solution, the Lagrangian bound as far as its
multiplier. :class:`Lists` holds those prefixes in compressed rows (CSR: ``indptr``, the
candidate ``idx`` and the ``dist`` of every entry, sorted within a row) and lengthens the
rows that turn out too short. Every row is a *complete prefix*: each candidate cheaper than
the row's last entry is in the row (ties at the last cost may be missing), so a cut or a
bound read from a row is exact.

A source supplies the rows: :class:`DenseSource` sorts the rows of a cost matrix the user
gave (every row complete at once); :class:`PointSource` asks a KD-tree (scipy's
``cKDTree``) for each demand point's ``k`` nearest candidates, in the plane (Euclidean, or
Euclidean rounded down) or on the sphere (unit vectors, chord length), then computes the
exact costs -- geodesic km on the WGS84 ellipsoid, as :func:`borderhub.distance_matrix`
does -- and keeps the entries certified complete: a candidate not returned is at least as
far on the sphere as the last one returned, and the ellipsoidal distance differs from the
spherical one by well under :data:`SPHERE_SLACK`, so every entry cheaper than
``(1 - SPHERE_SLACK)`` times that spherical distance is certain.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from borderhub._lonlat import EARTH_KM, unit_vectors

__all__ = [
    "EARTH_KM",
    "METRICS",
    "SPHERE_SLACK",
    "DenseSource",
    "Lists",
    "PointSource",
    "median_positive",
    "power_of_two_scale",
    "rescale",
    "unit_vectors",
]

#: Bound on the relative difference between the WGS84 geodesic and the great circle on the
#: sphere of radius :data:`EARTH_KM` (the true largest difference is about 0.56 %).
SPHERE_SLACK = 0.01
#: Relative margin on KD-tree distances (the tree and numpy may round differently).
_EPS = 1e-9
#: Entries per row asked of the KD-tree at first.
FIRST_K = 16
METRICS = ("geodesic", "euclidean", "euclidean_floor")


def _chord_km(chord: np.ndarray) -> np.ndarray:
    """Great-circle km on the mean sphere from the chord length of unit vectors."""
    return 2.0 * EARTH_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))


class PointSource:
    """Costs between demand points and candidates given by coordinates, with a KD-tree.

    ``dxy`` and ``cxy`` are (n, 2) arrays: lon/lat degrees for ``"geodesic"``, planar
    coordinates otherwise. Costs are float64; Euclidean rounded down gives integers.
    """

    def __init__(self, dxy: np.ndarray, cxy: np.ndarray, metric: str) -> None:
        from scipy.spatial import cKDTree

        self.metric = metric
        self.dxy, self.cxy = np.asarray(dxy, dtype=float), np.asarray(cxy, dtype=float)
        self.n, self.m = len(self.dxy), len(self.cxy)
        if metric == "geodesic":
            self.dpts = unit_vectors(self.dxy[:, 0], self.dxy[:, 1])
            self.cpts = unit_vectors(self.cxy[:, 0], self.cxy[:, 1])
        else:
            self.dpts, self.cpts = self.dxy, self.cxy
        self.tree = cKDTree(self.cpts)
        self.scale = 1.0  # costs are multiplied by this (a power of two)

    def cost(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Exact costs of the pairs ``(rows[k], cols[k])``."""
        a, b = self.dxy[rows], self.cxy[cols]
        if self.metric == "geodesic":
            from pyproj import Geod

            _, _, metres = Geod(ellps="WGS84").inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
            out = np.asarray(metres, dtype=float) / 1000.0
        else:
            out = np.hypot(a[:, 0] - b[:, 0], a[:, 1] - b[:, 1])
            if self.metric == "euclidean_floor":
                out = np.floor(out)
        return out * self.scale if self.scale != 1.0 else out

    def floor_of(self, tree_dist: np.ndarray) -> np.ndarray:
        """A lower bound on the cost of a candidate at least ``tree_dist`` away in the tree."""
        d = tree_dist * (1.0 - _EPS)
        if self.metric == "geodesic":
            d = _chord_km(d) * (1.0 - SPHERE_SLACK)
        elif self.metric == "euclidean_floor":
            d = np.floor(d)
        return d * self.scale

    def query(self, rows: np.ndarray, k: int, tree: Any = None, cand: Any = None) -> Any:
        """The ``k`` nearest candidates of ``rows``: (cols, exact costs, lower bound rest).

        ``cols`` and the costs are (len(rows), k) arrays in tree order (not yet by exact
        cost); the bound is what any candidate not returned costs at least (inf when all
        were returned). ``tree`` and ``cand`` restrict the search to a subset of candidates
        (``cand`` maps the tree's points to candidate positions).
        """
        tree = self.tree if tree is None else tree
        size = tree.n
        k = int(min(k, size))
        dd, jj = tree.query(self.dpts[rows], k=k)
        dd, jj = dd.reshape(len(rows), k), jj.reshape(len(rows), k)
        cols = jj if cand is None else np.asarray(cand)[jj]
        c = self.cost(np.repeat(rows, k), cols.ravel()).reshape(len(rows), k)
        rest = np.full(len(rows), np.inf) if k >= size else self.floor_of(dd[:, -1])
        return cols, c, rest

    def nearest(self, rows: np.ndarray, cand: np.ndarray, k: int = 1) -> Any:
        """Exact ``k`` cheapest of the candidates ``cand`` for ``rows``: (cols, costs)."""
        from scipy.spatial import cKDTree

        cand = np.asarray(cand, dtype=np.int64)
        tree = cKDTree(self.cpts[cand])
        k = min(k, len(cand))
        out_c = np.empty((len(rows), k), dtype=np.int64)
        out_d = np.empty((len(rows), k))
        todo, q = np.arange(len(rows)), k + (3 if self.metric == "geodesic" else 0)
        while todo.size:
            cols, c, rest = self.query(rows[todo], q, tree, cand)
            order = np.argsort(c, axis=1, kind="stable")[:, :k]
            cs = np.take_along_axis(c, order, axis=1)
            ok = cs[:, -1] <= rest
            out_c[todo[ok]] = np.take_along_axis(cols, order, axis=1)[ok]
            out_d[todo[ok]] = cs[ok]
            todo, q = todo[~ok], 2 * q
        return out_c, out_d


class DenseSource:
    """Costs from a cost matrix the caller holds (every row listed whole at once)."""

    def __init__(self, C: np.ndarray) -> None:
        self.C = C
        self.n, self.m = C.shape

    def nearest(self, rows: np.ndarray, cand: np.ndarray, k: int = 1) -> Any:
        sub = self.C[np.ix_(rows, cand)]
        order = np.argsort(sub, axis=1, kind="stable")[:, :k]
        return np.asarray(cand)[order], np.take_along_axis(sub, order, axis=1)


class Lists:
    """Complete sorted prefixes of every demand point's candidates (see the module).

    ``cmap`` (source candidate -> position here, -1 when dropped) restricts the lists to a
    subset of the source's candidates; ``k`` counts the entries asked of the source per row.
    """

    def __init__(self, source: Any, n: int, m: int, cmap: np.ndarray | None = None) -> None:
        self.source, self.n, self.m, self.cmap = source, n, m, cmap
        self.indptr = np.zeros(n + 1, dtype=np.int64)
        self.idx = np.zeros(0, dtype=np.int32)
        self.dist = np.zeros(0)
        self.complete = np.zeros(n, dtype=bool)
        self.k = np.zeros(n, dtype=np.int64)
        self.rest = np.full(n, np.inf)  # what an unlisted candidate costs at least

    # ---- construction --------------------------------------------------------------
    @classmethod
    def from_dense(cls, C: np.ndarray) -> Lists:
        """Every row of the cost matrix ``C``, sorted (the dense path)."""
        n, m = C.shape
        out = cls(DenseSource(C), n, m)
        order = np.argsort(C, axis=1, kind="stable")
        out.idx = order.astype(np.int32).ravel()
        out.dist = np.take_along_axis(C, order, axis=1).ravel()
        out.indptr = np.arange(0, n * m + 1, m, dtype=np.int64)
        out.complete[:] = True
        out.k[:] = m
        return out

    @classmethod
    def from_points(cls, source: PointSource, k: int = FIRST_K) -> Lists:
        """The ``k`` nearest candidates of every demand point (grown later as needed)."""
        out = cls(source, source.n, source.m)
        out.grow(np.arange(source.n), k)
        return out

    @property
    def rowid(self) -> np.ndarray:
        return np.repeat(np.arange(self.n, dtype=np.int32), np.diff(self.indptr))

    @property
    def first(self) -> np.ndarray:
        """The cheapest cost of every row (rows are never empty)."""
        return self.dist[self.indptr[:-1]]

    @property
    def last(self) -> np.ndarray:
        """Cost up to which a row is complete: inf for a whole row."""
        return np.where(self.complete, np.inf, self.rest)

    def copy(self) -> Lists:
        """An independent copy (growing it leaves this one as it is)."""
        out = Lists(self.source, self.n, self.m, self.cmap)
        out.indptr, out.idx, out.dist = self.indptr, self.idx, self.dist  # replaced on growth
        out.complete, out.k, out.rest = self.complete.copy(), self.k.copy(), self.rest.copy()
        return out

    def nbytes(self) -> int:
        return int(self.idx.nbytes + self.dist.nbytes + self.indptr.nbytes)

    # ---- growth ---------------------------------------------------------------------
    def _fetch(self, rows: np.ndarray, k: np.ndarray) -> Any:
        """Entries of ``rows`` asking the source for ``k`` each: (lens, idx, dist, done)."""
        lens = np.zeros(len(rows), dtype=np.int64)
        parts_i, parts_d, where = [], [], []
        done = np.zeros(len(rows), dtype=bool)
        for kk in np.unique(k):
            sel = np.flatnonzero(k == kk)
            cols, c, rest = self.source.query(rows[sel], int(kk))
            if self.cmap is not None:
                cols = self.cmap[cols]
                c = np.where(cols >= 0, c, np.inf)
            order = np.argsort(c, axis=1, kind="stable")
            cols = np.take_along_axis(cols, order, axis=1)
            c = np.take_along_axis(c, order, axis=1)
            keep = (c <= rest[:, None]) & (cols >= 0)
            lens[sel] = keep.sum(axis=1)
            done[sel] = ~np.isfinite(rest)
            self.rest[rows[sel]] = rest
            parts_i.append(cols[keep].astype(np.int32))
            parts_d.append(c[keep])
            where.append(np.repeat(sel, lens[sel]))
        pos = np.concatenate(where)
        order = np.argsort(pos, kind="stable")  # back to the order of rows
        return lens, np.concatenate(parts_i)[order], np.concatenate(parts_d)[order], done

    def grow(self, rows: np.ndarray, k: int | None = None) -> np.ndarray:
        """Lengthen ``rows`` (to ``k`` source entries, default twice as many as before).

        Returns the destination of every old entry in the new arrays (for the callers'
        per-entry marks; a row's prefix keeps its positions). Rows that would stay empty
        are grown again.
        """
        dest = self._grow_once(np.asarray(rows, dtype=np.int64), k)
        while True:
            lens = np.diff(self.indptr)
            empty = np.flatnonzero((lens == 0) & ~self.complete)
            if empty.size == 0:
                return dest
            again = self._grow_once(empty, None)
            dest = np.where(dest >= 0, again[np.maximum(dest, 0)], -1)

    def _grow_once(self, rows: np.ndarray, k: int | None) -> np.ndarray:
        size = self.source.m
        want = np.full(len(rows), FIRST_K if k is None else k, dtype=np.int64)
        want = np.minimum(np.maximum(want, 2 * self.k[rows]), size)
        # powers of two (times FIRST_K) keep the number of tree queries small
        steps = np.ceil(np.log2(np.maximum(want, 1) / FIRST_K)).clip(0)
        want = np.minimum(size, FIRST_K * 2**steps).astype(np.int64)
        lens, idx, dist, done = self._fetch(rows, want)
        self.k[rows] = want
        self.complete[rows] = done
        old_len = np.diff(self.indptr)
        new_len = old_len.copy()
        new_len[rows] = lens
        indptr = np.concatenate([[0], np.cumsum(new_len)]).astype(np.int64)
        rowid = self.rowid
        local = np.arange(len(self.idx), dtype=np.int64) - self.indptr[rowid]
        dest = indptr[rowid] + local
        grown = np.zeros(self.n, dtype=bool)
        grown[rows] = True
        new_idx = np.empty(int(indptr[-1]), dtype=np.int32)
        new_dist = np.empty(int(indptr[-1]))
        stay = ~grown[rowid]
        new_idx[dest[stay]], new_dist[dest[stay]] = self.idx[stay], self.dist[stay]
        nrow = np.repeat(rows, lens)
        nloc = np.arange(len(idx), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
        new_idx[indptr[nrow] + nloc], new_dist[indptr[nrow] + nloc] = idx, dist
        dest[~stay & (local >= new_len[rowid])] = -1  # (a prefix never shrinks)
        self.indptr, self.idx, self.dist = indptr, new_idx, new_dist
        return dest

    # ---- restriction and service costs ------------------------------------------------
    def subset(self, keep: np.ndarray) -> tuple[Lists, np.ndarray]:
        """The lists restricted to candidates ``keep`` (renumbered), and a kept flag per entry.

        The flags map sorted positions of these lists to positions in the restricted ones.
        """
        cmap = np.full(self.m, -1, dtype=np.int64)
        cmap[keep] = np.arange(len(keep))
        src_map = cmap if self.cmap is None else np.where(self.cmap >= 0, cmap[self.cmap], -1)
        out = Lists(self.source, self.n, len(keep), src_map)
        flag = cmap[self.idx] >= 0
        counts = np.bincount(self.rowid[flag], minlength=self.n)
        out.indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        out.idx = cmap[self.idx[flag]].astype(np.int32)
        out.dist = self.dist[flag]
        out.complete = self.complete.copy()
        out.k = self.k.copy()
        out.rest = self.rest.copy()
        empty = np.flatnonzero(counts == 0)
        if empty.size:
            out.grow(empty)
        return out, flag

    def nearest_open(self, is_open: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Exact ``k`` cheapest open candidates of every row: (positions, costs), (n, k).

        Read from the rows where they hold them; asked of the source for the others.
        """
        k = int(min(k, int(is_open.sum())))
        hit = is_open[self.idx]
        rowid = self.rowid
        rank = np.cumsum(hit) - 1
        base = np.concatenate([[0], np.cumsum(hit)])[self.indptr[:-1]]
        rank = rank - base[rowid]
        cols = np.full((self.n, k), -1, dtype=np.int64)
        costs = np.full((self.n, k), np.inf)
        sel = hit & (rank < k)
        cols[rowid[sel], rank[sel]] = self.idx[sel]
        costs[rowid[sel], rank[sel]] = self.dist[sel]
        miss = np.flatnonzero((cols[:, -1] < 0) & ~self.complete) if k else np.zeros(0, int)
        if miss.size:
            opened = np.flatnonzero(is_open)
            src_open = self._source_ids(opened)
            c, d = self.source.nearest(miss, src_open, k)
            back = c if self.cmap is None else self.cmap[c]
            cols[miss], costs[miss] = back, d
        return cols, costs

    def _source_ids(self, pos: np.ndarray) -> np.ndarray:
        if self.cmap is None:
            return pos
        inv = np.full(self.m, -1, dtype=np.int64)
        mapped = np.flatnonzero(self.cmap >= 0)
        inv[self.cmap[mapped]] = mapped
        return inv[pos]

    def serve_cost(self, w: np.ndarray, opened: np.ndarray, fixed: np.ndarray | None) -> float:
        """Weighted cost of serving every row from its cheapest open candidate."""
        is_open = np.zeros(self.m, dtype=bool)
        is_open[np.asarray(opened, dtype=np.int64)] = True
        _, d = self.nearest_open(is_open, 1)
        serve = float(w @ d[:, 0]) if len(w) else 0.0
        return serve + (float(fixed[opened].sum()) if fixed is not None else 0.0)


def median_positive(values: np.ndarray) -> float:
    """Median of the positive finite entries (1.0 when there are none)."""
    v = values[np.isfinite(values) & (values > 0)]
    return float(np.median(v)) if v.size else 1.0


def power_of_two_scale(median: float) -> float:
    """The power of two bringing ``median`` near ``2^10`` (1 inside ``2^0 .. 2^30``)."""
    e = math.log2(median)
    return 1.0 if 0 <= e <= 30 else 2.0 ** (10 - round(e))


def rescale(lists: Lists, a: float) -> None:
    """Multiply every cost of ``lists`` (and of its point source) by ``a``."""
    if a == 1.0:
        return
    lists.dist = lists.dist * a
    lists.rest = lists.rest * a
    if isinstance(lists.source, PointSource):
        lists.source.scale *= a
