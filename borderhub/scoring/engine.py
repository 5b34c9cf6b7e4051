"""The scoring engine: decision matrix, missing values, methods, ranks and their stability.

:func:`score` ranks candidates with TOPSIS [1]_, a min--max weighted sum or VIKOR [2]_
(:class:`Method`) and explains each score by per-criterion contributions;
:func:`rank_stability` perturbs the weights by Monte Carlo, vectorised over all draws.
Both read the criteria through :func:`decision_matrix`, the one place where ``nan_policy``
is applied: criteria too sparse to score are left out, missing values are filled, refused
or their rows dropped, and whatever is left out or filled is said (a
:class:`~borderhub.exceptions.MissingDataWarning`) and recorded in ``attrs``.

References
----------
.. [1] Hwang, C.-L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
   Applications*. Springer, Berlin. (TOPSIS)
.. [2] Opricovic, S., & Tzeng, G.-H. (2004). Compromise solution by MCDM methods: A
   comparative analysis of VIKOR and TOPSIS. *European Journal of Operational Research*,
   156(2), 445--455.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, MissingDataWarning, SpecificationError
from borderhub.scoring._values import check_candidates, real
from borderhub.scoring.criterion import Criterion, as_criteria
from borderhub.scoring.weights import resolve_weights

__all__ = [
    "Method",
    "SPARSE_COVERAGE",
    "score",
    "rank_stability",
    "decision_matrix",
    "missing_values",
    "sparse_criteria",
]

_NAN_POLICIES = ("auto", "raise", "drop", "worst")

#: Share of the scored candidates below which ``nan_policy="auto"`` leaves a criterion
#: out: a criterion with a finite value for fewer than half of them is not scored.
SPARSE_COVERAGE = 0.5

#: Rows named in a message before "and N more".
_SHOWN = 10


class Method(StrEnum):
    """Scoring methods accepted by :func:`score` and :func:`rank_stability`.

    The constructor accepts any case and ``-`` for ``_``; an unknown name raises
    :class:`~borderhub.exceptions.SpecificationError` listing the allowed values.

    Examples
    --------
    >>> Method("TOPSIS") is Method.TOPSIS
    True
    >>> Method("weighted-sum").value
    'weighted_sum'
    """

    TOPSIS = "topsis"
    WEIGHTED_SUM = "weighted_sum"
    VIKOR = "vikor"

    @classmethod
    def _missing_(cls, value: object) -> Method:
        if isinstance(value, str):
            key = value.strip().lower().replace("-", "_").replace(" ", "_")
            for member in cls:
                if member.value == key:
                    return member
        allowed = ", ".join(repr(m.value) for m in cls)
        raise SpecificationError(f"unknown scoring method {value!r}; use one of {allowed}.")


# ----------------------------------------------------------------------------------------
# The decision matrix and the nan_policy (applied here only)
# ----------------------------------------------------------------------------------------


def _evaluate(candidates: pd.DataFrame, crits: list[Criterion]) -> pd.DataFrame:
    """The raw criterion values, one column per criterion."""
    return pd.DataFrame({c.name: c.evaluate(candidates) for c in crits}, index=candidates.index)


def _criteria_matrix(
    candidates: pd.DataFrame, criteria: Mapping[str, str] | Sequence[Criterion] | Criterion
) -> pd.DataFrame:
    """:func:`_evaluate` on checked candidates and criteria given in any accepted form."""
    check_candidates(candidates)
    return _evaluate(candidates, as_criteria(criteria))


def _coverage(matrix: pd.DataFrame) -> pd.Series:
    """Share of rows with a finite value, per column."""
    finite = np.isfinite(matrix.to_numpy(dtype=float))
    return pd.Series(finite.mean(axis=0), index=matrix.columns, dtype=float)


def _rows(rows: list[Any]) -> str:
    more = f" and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    return f"{rows[:_SHOWN]}{more}"


def _fill(
    matrix: pd.DataFrame, crits: list[Criterion], nan_policy: str
) -> tuple[pd.DataFrame, dict[str, dict[Hashable, float]]]:
    """Apply ``"raise"``, ``"drop"`` or ``"worst"``; also return what ``"worst"`` filled."""
    finite = np.isfinite(matrix.to_numpy())
    if finite.all():
        return matrix, {}
    if nan_policy == "raise":
        parts = [
            f"{c.name!r} in rows {_rows(list(matrix.index[~finite[:, j]]))}"
            for j, c in enumerate(crits)
            if not finite[:, j].all()
        ]
        raise DataError(
            "missing (NaN) or infinite criterion values: "
            + "; ".join(parts)
            + ". Fill them, or pass nan_policy='drop' (leave those rows out) or "
            "nan_policy='worst' (give them the criterion's worst observed value)."
        )
    if nan_policy == "drop":
        keep = finite.all(axis=1)
        if not keep.any():
            raise DataError("nan_policy='drop' leaves no candidate: every row has a NaN.")
        return matrix.loc[keep].copy(), {}
    # "worst"
    filled = matrix.copy()
    record: dict[str, dict[Hashable, float]] = {}
    for j, c in enumerate(crits):
        col = matrix.iloc[:, j]
        ok = finite[:, j]
        if ok.all():
            continue
        if not ok.any():
            raise DataError(
                f"criterion {c.name!r} has no finite value at all; nan_policy='worst' cannot "
                "fill it. Drop the criterion."
            )
        worst = float(col[ok].max() if c.direction == "cost" else col[ok].min())
        filled.iloc[~ok, j] = worst
        record[c.name] = dict.fromkeys(matrix.index[~ok], worst)
    return filled, record


@dataclass(frozen=True)
class _Decision:
    """What the criteria and the ``nan_policy`` leave to be scored."""

    matrix: pd.DataFrame  # one column per kept criterion, rows kept, missing values filled
    criteria: list[Criterion]  # the criteria kept
    weights: np.ndarray  # their weights, summing to 1
    omitted: dict[str, float]  # criterion left out -> share of candidates with a value
    filled: dict[str, dict[Hashable, float]]  # criterion -> {row: value given}


def _decide(
    candidates: pd.DataFrame, crits: list[Criterion], weights: Any, nan_policy: str
) -> _Decision:
    """Evaluate the criteria and apply ``nan_policy``: the one place it is applied.

    Under ``"auto"`` the sparse criteria (:func:`sparse_criteria`) are left out and the
    weights of the others renormalised (explicit weights are resolved over all criteria
    first, so a mapping naming every criterion still works); the remaining missing values
    take the criterion's worst value. Leaving out and filling are both said with a
    :class:`~borderhub.exceptions.MissingDataWarning`.
    """
    if nan_policy not in _NAN_POLICIES:
        raise SpecificationError(
            f"nan_policy must be one of {list(_NAN_POLICIES)}, got {nan_policy!r}."
        )
    raw = _evaluate(candidates, crits)
    omitted: dict[str, float] = {}
    if nan_policy == "auto":
        share = _coverage(raw)
        omitted = {str(n): float(s) for n, s in share.items() if s < SPARSE_COVERAGE}
    kept = [c for c in crits if c.name not in omitted]
    n = len(raw)
    what = ", ".join(f"{k!r} (a value for {round(v * n)} of {n})" for k, v in omitted.items())
    if not kept:
        raise DataError(
            f"every criterion has a value for fewer than half of the candidates: {what}. "
            "Fill them, or pass nan_policy='worst' (the criterion's worst observed value) "
            "or nan_policy='drop'."
        )
    policy = "worst" if nan_policy == "auto" else nan_policy
    matrix, filled = _fill(raw[[c.name for c in kept]], kept, policy)
    if not omitted or isinstance(weights, str):
        w = resolve_weights(weights, kept, matrix)
    else:
        full = resolve_weights(weights, crits, matrix)
        w = np.array([x for c, x in zip(crits, full, strict=True) if c.name not in omitted])
        if not w.sum() > 0:
            raise SpecificationError(
                f"all the weight is on criteria left out for lack of data ({what}); pass "
                "nan_policy='worst' to score them, or weigh the other criteria."
            )
        w = w / w.sum()
    if omitted:
        warnings.warn(
            f"criteria left out of the scoring, sourced for fewer than half of the "
            f"candidates (nan_policy='auto'): {what}; the other weights are renormalised. "
            "Pass nan_policy='worst' to keep them with the worst observed value filled in.",
            MissingDataWarning,
            stacklevel=3,
        )
    if filled:
        parts = "; ".join(
            f"{name!r} in rows {_rows(list(rows))} (given {next(iter(rows.values())):g})"
            for name, rows in filled.items()
        )
        warnings.warn(
            f"missing (NaN) or infinite criterion values filled with the criterion's worst "
            f"observed value (nan_policy={nan_policy!r}): {parts}. attrs['filled'] of the "
            "result records them; pass nan_policy='raise' to refuse missing values or "
            "nan_policy='drop' to leave those rows out.",
            MissingDataWarning,
            stacklevel=3,
        )
    return _Decision(matrix, kept, w, omitted, filled)


def decision_matrix(
    candidates: pd.DataFrame,
    criteria: Mapping[str, str] | Sequence[Criterion] | Criterion,
    weights: Any = None,
    *,
    nan_policy: str = "auto",
) -> pd.DataFrame:
    """The values :func:`score` ranks: the criteria after the ``nan_policy``.

    Evaluates the criteria on the candidates and applies ``nan_policy`` exactly as
    :func:`score` and :func:`rank_stability` do (they call this): sparse criteria left
    out under ``"auto"``, missing values filled with the criterion's worst value, refused
    or their rows dropped. Scoring the result again fills nothing, so a sweep that scores
    the same candidates many times decides the missing values once.

    Parameters
    ----------
    candidates, criteria, weights, nan_policy
        As in :func:`score`.

    Returns
    -------
    pandas.DataFrame
        One column per criterion kept, one row per candidate kept (same labels), no
        missing value. ``attrs``: ``directions`` (criterion: ``"benefit"`` or ``"cost"``),
        ``weights`` (resolved, renormalised over the criteria kept), ``omitted``
        (criterion left out: share of candidates with a value) and ``filled`` (criterion:
        {row: value given}).

    Raises
    ------
    DataError, SpecificationError
        As :func:`score`.

    Warns
    -----
    MissingDataWarning
        When a criterion is left out or a missing value filled, naming them.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> cities = pd.DataFrame({"volume": [50.0, None, 5.0], "km": [1.0, 2.0, 3.0]},
    ...                       index=["A", "B", "C"])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     m = decision_matrix(cities, {"volume": "benefit", "km": "cost"})
    >>> m["volume"].tolist(), m.attrs["filled"]
    ([50.0, 5.0, 5.0], {'volume': {'B': 5.0}})
    >>> "'volume' in rows ['B']" in str(caught[0].message)
    True
    """
    check_candidates(candidates)
    decision = _decide(candidates, as_criteria(criteria), weights, nan_policy)
    out = decision.matrix.copy()
    out.attrs.update(_record(decision))
    out.attrs["directions"] = {c.name: c.direction for c in decision.criteria}
    return out


def _record(decision: _Decision) -> dict[str, Any]:
    """The ``attrs`` every scoring result carries about weights and missing values."""
    names = [c.name for c in decision.criteria]
    return {
        "weights": dict(zip(names, decision.weights.tolist(), strict=True)),
        "omitted": dict(decision.omitted),
        "filled": {k: dict(v) for k, v in decision.filled.items()},
    }


def missing_values(
    candidates: pd.DataFrame,
    criteria: Mapping[str, str] | Sequence[Criterion] | Criterion,
) -> pd.DataFrame:
    """The candidates with a missing (NaN) or infinite value on some criterion.

    Use it before :func:`score` to see which places the ``nan_policy`` will decide for.

    Parameters
    ----------
    candidates : DataFrame
        As passed to :func:`score`.
    criteria : mapping or sequence of Criterion
        As passed to :func:`score`.

    Returns
    -------
    pandas.DataFrame
        One row per affected candidate (in the candidates' order, same labels), one
        boolean column per criterion (True where the value is missing), and ``missing``:
        the affected criterion names joined by ``;``. Empty when nothing is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> cities = pd.DataFrame({"volume": [50.0, None, 5.0], "km": [1.0, 2.0, None]},
    ...                       index=["A", "B", "C"])
    >>> missing_values(cities, {"volume": "benefit", "km": "cost"})["missing"].to_dict()
    {'B': 'volume', 'C': 'km'}
    """
    matrix = _criteria_matrix(candidates, criteria)
    bad = pd.DataFrame(~np.isfinite(matrix.to_numpy(dtype=float)), index=matrix.index,
                       columns=matrix.columns)  # fmt: skip
    out = bad.loc[bad.any(axis=1)].copy()
    out["missing"] = [";".join(c for c in bad.columns if row[c]) for _, row in out.iterrows()]
    return out


def sparse_criteria(
    candidates: pd.DataFrame,
    criteria: Mapping[str, str] | Sequence[Criterion] | Criterion,
) -> pd.Series:
    """The criteria that ``nan_policy="auto"`` leaves out: sourced for under half the rows.

    A criterion whose value is finite for fewer than ``SPARSE_COVERAGE`` (one half)
    of the candidates is mostly unknown. Filling it (``"worst"``) would let the filled
    value decide most places' standing on it, and the few places with a figure would be
    measured against a fill rather than against each other; so the default of
    :func:`score` scores without it and says so (a warning and
    ``attrs["omitted"]``). Use this before :func:`score` to see what will be left out.

    Parameters
    ----------
    candidates : DataFrame
        As passed to :func:`score`.
    criteria : mapping or sequence of Criterion
        As passed to :func:`score`.

    Returns
    -------
    pandas.Series
        Share of candidates with a finite value (0..1) of each sparse criterion, indexed
        by criterion name, in the criteria's order. Empty when none is sparse.

    Examples
    --------
    >>> import pandas as pd
    >>> cities = pd.DataFrame({"volume": [50.0, 20.0, 5.0], "cargo": [80.0, None, None]},
    ...                       index=["A", "B", "C"])
    >>> sparse_criteria(cities, {"volume": "benefit", "cargo": "benefit"}).round(3).to_dict()
    {'cargo': 0.333}
    """
    matrix = _criteria_matrix(candidates, criteria)
    share = _coverage(matrix)
    return share[share < SPARSE_COVERAGE]


# ----------------------------------------------------------------------------------------
# Methods (numeric core shared by score and rank_stability)
# ----------------------------------------------------------------------------------------


def _empty() -> np.ndarray:
    return np.empty((0, 0))


@dataclass(frozen=True)
class _Prepared:
    """Weight-independent part of a method, so many weight vectors can be scored at once."""

    method: Method
    norm: np.ndarray  # (n, m) normalised matrix reported as <name>_norm
    a_plus: np.ndarray = field(default_factory=_empty)  # TOPSIS (r - r*)^2
    a_minus: np.ndarray = field(default_factory=_empty)  # TOPSIS (r - r-)^2
    gap: np.ndarray = field(default_factory=_empty)  # VIKOR regret (f* - f) / (f* - f-)
    v: float = 0.5


def _prepare(x: np.ndarray, benefit: np.ndarray, method: Method, v: float) -> _Prepared:
    if method is Method.TOPSIS:
        norms = np.sqrt((x**2).sum(axis=0))
        r = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
        best = np.where(benefit, r.max(axis=0), r.min(axis=0))
        worst = np.where(benefit, r.min(axis=0), r.max(axis=0))
        return _Prepared(method, r, a_plus=(r - best) ** 2, a_minus=(r - worst) ** 2)
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = hi - lo
    if method is Method.WEIGHTED_SUM:
        up = np.where(benefit, x - lo, hi - x)
        norm = np.divide(up, span, out=np.ones_like(x), where=span > 0)
        return _Prepared(method, norm)
    # VIKOR
    down = np.where(benefit, hi - x, x - lo)
    gap = np.divide(down, span, out=np.zeros_like(x), where=span > 0)
    return _Prepared(method, 1.0 - gap, gap=gap, v=v)


def _safe_ratio(num: np.ndarray, den: np.ndarray, fill: float) -> np.ndarray:
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, fill), where=den > 0)


def _scores(prep: _Prepared, w: np.ndarray) -> dict[str, np.ndarray]:
    """Score under each weight vector: ``w`` (d, m) -> arrays (n, d); higher is better."""
    if prep.method is Method.TOPSIS:
        w2 = (w**2).T
        d_plus = np.sqrt(np.clip(prep.a_plus @ w2, 0.0, None))
        d_minus = np.sqrt(np.clip(prep.a_minus @ w2, 0.0, None))
        closeness = _safe_ratio(d_minus, d_plus + d_minus, 0.5)
        return {"score": closeness, "d_plus": d_plus, "d_minus": d_minus}
    if prep.method is Method.WEIGHTED_SUM:
        return {"score": prep.norm @ w.T}
    gap = prep.gap
    s = gap @ w.T
    r = (gap[None, :, :] * w[:, None, :]).max(axis=2).T
    s_lo, s_hi = s.min(axis=0), s.max(axis=0)
    r_lo, r_hi = r.min(axis=0), r.max(axis=0)
    q = prep.v * _safe_ratio(s - s_lo, s_hi - s_lo, 0.0) + (1 - prep.v) * _safe_ratio(
        r - r_lo, r_hi - r_lo, 0.0
    )
    return {"score": 1.0 - q, "S": s, "R": r, "Q": q}


def _contributions(prep: _Prepared, w: np.ndarray, extra: dict[str, np.ndarray]) -> np.ndarray:
    """Per-criterion contributions (n, m) for one weight vector ``w`` (m,)."""
    if prep.method is Method.TOPSIS:
        w2 = w**2
        dp, dm = extra["d_plus"][:, 0], extra["d_minus"][:, 0]
        den = (dp + dm) ** 2
        num = w2 * (prep.a_minus - prep.a_plus)
        return 0.5 * _safe_ratio(num, den[:, None], 0.0)
    if prep.method is Method.WEIGHTED_SUM:
        return prep.norm * w
    return w * (1.0 - prep.gap)


def _rank(values: np.ndarray) -> np.ndarray:
    """Rank along axis 0, 1 = largest, ties share the better rank (method 'min')."""
    x = -np.round(np.asarray(values, dtype=float), 12)
    squeeze = x.ndim == 1
    if squeeze:
        x = x[:, None]
    order = np.argsort(x, axis=0, kind="stable")
    s = np.take_along_axis(x, order, axis=0)
    pos = np.arange(x.shape[0])[:, None]
    new = np.ones(s.shape, dtype=bool)
    new[1:] = s[1:] != s[:-1]
    first = np.maximum.accumulate(np.where(new, pos, 0), axis=0)
    ranks = np.empty(x.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=0)
    return ranks[:, 0] if squeeze else ranks


def _method(candidates: Any, method: Any, v: Any) -> tuple[Method, float]:
    """The checked candidates' method and VIKOR ``v`` (shared by score and rank_stability)."""
    check_candidates(candidates)
    meth = Method(method)
    v = real(v, "VIKOR v")
    if not 0.0 <= v <= 1.0:
        raise SpecificationError(f"VIKOR v must be in [0, 1], got {v}.")
    return meth, v


def _prepare_matrix(decision: _Decision, method: Method, v: float) -> _Prepared:
    benefit = np.array([c.direction == "benefit" for c in decision.criteria])
    return _prepare(decision.matrix.to_numpy(dtype=float), benefit, method, v)


def score(
    candidates: pd.DataFrame,
    criteria: Mapping[str, str] | Sequence[Criterion],
    weights: Any = None,
    method: str | Method = "topsis",
    *,
    nan_policy: str = "auto",
    v: float = 0.5,
) -> pd.DataFrame:
    """Rank candidates on several criteria with TOPSIS, weighted sum or VIKOR.

    Each method turns the decision matrix ``x_ij`` (candidate *i*, criterion *j*) and
    weights ``w_j`` (normalised to sum 1) into a score in [0, 1], **higher is better** for
    every method, and ``rank`` 1 = best (scores equal to 12 decimals tie and share the
    better rank, as ``method="min"`` in :meth:`pandas.Series.rank`).

    * ``"topsis"`` (Hwang & Yoon 1981): vector normalisation
      ``r_ij = x_ij / sqrt(sum_i x_ij^2)``; weighted ``v_ij = w_j r_ij``; ideal ``v*_j``
      (max for a benefit, min for a cost) and anti-ideal ``v-_j``; distances
      ``D+_i = ||v_i - v*||``, ``D-_i = ||v_i - v-||``; score = closeness
      ``C_i = D-_i / (D+_i + D-_i)``. Columns ``<name>_norm`` hold ``r_ij``;
      ``<name>_contrib`` hold ``w_j^2 ((r_ij - r-_j)^2 - (r_ij - r*_j)^2) / (2 (D+_i + D-_i)^2)``,
      an exact decomposition: ``score = 0.5 + sum_j contrib_ij``. Also returns ``d_plus``
      and ``d_minus``. Invariant to positive scaling of a column.
    * ``"weighted_sum"``: min--max normalisation oriented so 1 is best
      (``(x - min) / (max - min)`` for a benefit, ``(max - x) / (max - min)`` for a cost);
      score = ``sum_j w_j n_ij``; ``<name>_contrib = w_j n_ij`` sums to the score.
    * ``"vikor"`` (Opricovic & Tzeng 2004): regret gaps
      ``g_ij = (f*_j - x_ij) / (f*_j - f-_j)`` (best ``f*``, worst ``f-``); group utility
      ``S_i = sum_j w_j g_ij``; individual regret ``R_i = max_j w_j g_ij``;
      ``Q_i = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*)``. **Lower Q is
      better**; the returned ``score`` is ``1 - Q`` so that it is oriented like the other
      methods and ``rank`` 1 is the candidate with the lowest ``Q``. ``S``, ``R`` and
      ``Q`` are returned too; ``<name>_norm = 1 - g_ij`` and ``<name>_contrib =
      w_j (1 - g_ij)`` (they sum to ``1 - S``). This is VIKOR's ranking by ``Q``; the
      acceptable-advantage and stability conditions of the compromise solution are not
      applied.

    A criterion whose values are all equal does not produce NaN: it contributes nothing to
    the TOPSIS distances, gives every candidate 1 (the best) in the weighted sum and a zero
    gap in VIKOR. If every weighted criterion is constant all candidates tie (TOPSIS
    closeness 0.5). Inputs are never modified.

    Parameters
    ----------
    candidates : pandas.DataFrame or geopandas.GeoDataFrame
        One row per candidate, unique index (e.g. :func:`borderhub.datasets.candidates`).
    criteria : mapping or sequence of Criterion
        ``{column: "benefit" | "cost"}`` or :class:`Criterion` objects (e.g.
        :func:`default_criteria`).
    weights : None, "equal", "entropy", mapping, AHPResult or sequence, optional
        ``None``: the weights carried by the criteria if all carry one, else equal.
        ``"equal"``; ``"entropy"`` (:func:`entropy_weights` of the raw decision matrix);
        a mapping ``{criterion name: weight}`` naming every criterion (normalised to sum
        1); the result of :func:`ahp_weights` (labels = criterion names); or one number per
        criterion in order.
    method : {"topsis", "weighted_sum", "vikor"} or Method, default "topsis"
    nan_policy : {"auto", "worst", "raise", "drop"}, default "auto"
        What to do with missing (NaN) or infinite criterion values. ``"worst"``: give
        them the criterion's worst finite value (the minimum of a benefit, the maximum of
        a cost), so a place is never rewarded for a figure nobody published.
        ``"auto"`` (the default): first leave out every criterion with a finite value for
        fewer than half of the candidates (:func:`sparse_criteria`; a ``UserWarning``
        names them, ``attrs["omitted"]`` lists them with their coverage, and the other
        weights are renormalised), then treat the remaining missing values as
        ``"worst"``. A mostly unknown criterion filled with its worst value would measure
        the few places with a figure against the fill, and penalise a place whose figure
        is the smallest one published as much as the places with none.
        ``"raise"``: a :class:`~borderhub.exceptions.DataError` naming the rows and
        criteria. ``"drop"``: leave those rows out of the scoring (they are absent from
        the result). :func:`missing_values` lists the affected rows beforehand; on the
        bundled candidates ``airport_cargo`` is sourced for 8 of the 60 places, so the
        default scores them without it.
    v : float, default 0.5
        VIKOR weight of the group utility ``S`` against the individual regret ``R``,
        in [0, 1]; ignored by the other methods.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``candidates`` (minus dropped rows): ``<name>_norm`` and
        ``<name>_contrib`` per criterion, method-specific columns, ``score`` (float,
        higher is better) and ``rank`` (int, 1 = best). ``attrs["weights"]`` holds the
        weights used, ``attrs["method"]`` the method and ``attrs["omitted"]`` the
        criteria left out by ``nan_policy="auto"`` (name: share of candidates with a
        value; empty if none).

    Raises
    ------
    DataError
        Missing columns, non-numeric values, NaN or infinite values (with
        ``nan_policy="raise"``), duplicate labels, an empty frame.
    SpecificationError
        Unknown method or nan_policy, bad directions, negative, all-zero or non-finite
        weights, weights for unknown criteria or missing criteria.

    Examples
    --------
    >>> import pandas as pd
    >>> cities = pd.DataFrame(
    ...     {"volume": [50.0, 20.0, 5.0], "km_to_port": [300.0, 100.0, 50.0]},
    ...     index=["A", "B", "C"])
    >>> out = score(cities, {"volume": "benefit", "km_to_port": "cost"})
    >>> out[["score", "rank"]].round(3)
       score  rank
    A  0.516     2
    B  0.543     1
    C  0.484     3
    >>> bool(abs(out.filter(like="_contrib").sum(axis=1) + 0.5 - out["score"]).max() < 1e-12)
    True
    >>> score(cities, {"volume": "benefit", "km_to_port": "cost"}, weights={"volume": 3,
    ...       "km_to_port": 1}, method="weighted_sum")["rank"].tolist()
    [1, 2, 3]
    """
    meth, v = _method(candidates, method, v)
    decision = _decide(candidates, as_criteria(criteria), weights, nan_policy)
    prep = _prepare_matrix(decision, meth, v)
    w = decision.weights
    res = _scores(prep, w[None, :])
    contrib = _contributions(prep, w, res)
    names = [c.name for c in decision.criteria]
    cols: dict[str, Any] = {}
    for j, n in enumerate(names):
        cols[f"{n}_norm"] = prep.norm[:, j]
    for j, n in enumerate(names):
        cols[f"{n}_contrib"] = contrib[:, j]
    for key in ("d_plus", "d_minus", "S", "R", "Q"):
        if key in res:
            cols[key] = res[key][:, 0]
    cols["score"] = res["score"][:, 0]
    cols["rank"] = _rank(res["score"][:, 0])
    out = pd.DataFrame(cols, index=decision.matrix.index.copy())
    record = _record(decision)
    out.attrs["weights"] = record["weights"]
    out.attrs["method"] = meth.value
    out.attrs["omitted"] = record["omitted"]
    out.attrs["filled"] = record["filled"]
    return out


def rank_stability(
    candidates: pd.DataFrame,
    criteria: Mapping[str, str] | Sequence[Criterion],
    weights: Any = None,
    method: str | Method = "topsis",
    n: int = 1000,
    spread: float = 0.2,
    seed: int | np.random.Generator | None = 0,
    top_k: int = 10,
    *,
    interval: tuple[float, float] = (5.0, 95.0),
    nan_policy: str = "auto",
    v: float = 0.5,
) -> pd.DataFrame:
    """Monte-Carlo stability of the ranking under perturbed weights.

    Each of ``n`` draws multiplies every base weight ``w_j`` (resolved as in
    :func:`score`) by an independent log-normal factor and renormalises:
    ``w'_j = w_j exp(spread z_j - spread^2 / 2) / sum_k (...)``, ``z_j ~ N(0, 1)``. So
    ``spread`` is the standard deviation of the log of each weight before renormalising
    (0.2 moves a weight by roughly +/-20 %, one standard deviation); the factor has mean 1,
    a zero weight stays zero, and ``spread=0`` reproduces :func:`score`. The criteria are
    evaluated and normalised once; all draws are scored together with matrix products (no
    per-draw Python loop), so 1,000 draws over 60 candidates take milliseconds.

    Parameters
    ----------
    candidates, criteria, weights, method, nan_policy, v
        As in :func:`score`.
    n : int, default 1000
        Number of weight draws.
    spread : float, default 0.2
        Log-scale standard deviation of the multiplicative weight noise (>= 0).
    seed : int, numpy.random.Generator or None, default 0
        Seed of ``numpy.random.default_rng``; a fixed seed gives identical results.
    top_k : int, default 10
        Size of the top group whose membership probability is reported.
    interval : (float, float), default (5, 95)
        Percentiles of the rank distribution reported as ``rank_lo`` and ``rank_hi``.

    Returns
    -------
    pandas.DataFrame
        Indexed like the scored candidates: ``rank`` (with the base weights),
        ``mean_rank``, ``rank_lo``, ``rank_hi`` (percentiles, 'lower' and 'higher'
        interpolation so they are attained ranks), ``best_rank``, ``worst_rank`` and
        ``p_top_k`` (share of draws in which the candidate ranks ``<= top_k``).
        ``attrs`` records ``n``, ``spread``, ``seed``, ``top_k``, ``method``,
        ``weights`` and ``omitted`` (as in :func:`score`).

    Examples
    --------
    >>> import pandas as pd
    >>> cities = pd.DataFrame(
    ...     {"volume": [50.0, 20.0, 5.0], "km_to_port": [300.0, 100.0, 50.0]},
    ...     index=["A", "B", "C"])
    >>> st = rank_stability(cities, {"volume": "benefit", "km_to_port": "cost"},
    ...                     n=500, top_k=1, seed=1)
    >>> st[["rank", "best_rank", "worst_rank"]]
       rank  best_rank  worst_rank
    A     2          1           3
    B     1          1           2
    C     3          1           3
    >>> bool(st["p_top_k"].sum() == 1.0)
    True
    """
    meth, v = _method(candidates, method, v)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise SpecificationError(f"n (number of draws) must be a positive integer, got {n!r}.")
    spread = real(spread, "spread")
    if not math.isfinite(spread) or spread < 0:
        raise SpecificationError(f"spread must be a finite number >= 0, got {spread!r}.")
    if isinstance(top_k, bool) or not isinstance(top_k, int | np.integer) or top_k < 1:
        raise SpecificationError(f"top_k must be a positive integer, got {top_k!r}.")
    try:
        lo_q, hi_q = (real(q, "interval") for q in interval)
    except (TypeError, ValueError):
        raise SpecificationError(
            f"interval must be two percentiles (lo, hi), got {interval!r}."
        ) from None
    if not 0.0 <= lo_q <= hi_q <= 100.0:
        raise SpecificationError(
            f"interval must be percentiles 0 <= lo <= hi <= 100, got {interval}."
        )
    decision = _decide(candidates, as_criteria(criteria), weights, nan_policy)
    prep = _prepare_matrix(decision, meth, v)
    w = decision.weights

    try:
        rng = np.random.default_rng(seed)
    except (TypeError, ValueError):
        raise SpecificationError(
            f"seed must be an integer, a numpy.random.Generator or None, got {seed!r}."
        ) from None
    z = rng.standard_normal((int(n), len(w)))
    draws = w[None, :] * np.exp(spread * z - 0.5 * spread**2)
    draws /= draws.sum(axis=1, keepdims=True)

    base_rank = _rank(_scores(prep, w[None, :])["score"])[:, 0]
    ranks = _rank(_scores(prep, draws)["score"])  # (candidates, draws)
    out = pd.DataFrame(
        {
            "rank": base_rank,
            "mean_rank": ranks.mean(axis=1),
            "rank_lo": np.percentile(ranks, lo_q, axis=1, method="lower").astype(np.int64),
            "rank_hi": np.percentile(ranks, hi_q, axis=1, method="higher").astype(np.int64),
            "best_rank": ranks.min(axis=1),
            "worst_rank": ranks.max(axis=1),
            "p_top_k": (ranks <= top_k).mean(axis=1),
        },
        index=decision.matrix.index.copy(),
    )
    out.attrs.update(
        {
            "n": int(n),
            "spread": spread,
            "seed": seed if isinstance(seed, int) else None,
            "top_k": int(top_k),
            "method": meth.value,
            **_record(decision),
        }
    )
    return out
