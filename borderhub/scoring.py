"""Multi-criteria scoring of candidate sites.

The module has four parts:

* **Criteria.** A :class:`Criterion` names a value per candidate (a column of the
  candidates frame, or a function of it), says whether more is better (``"benefit"``) or
  worse (``"cost"``) and may carry a default weight. Built-in criterion functions compute
  location, gateway and volume measures from the bundled data or the caller's frames:
  :func:`rcep_proximity`, :func:`border_port_distance`, :func:`rail_hub`, :func:`coastal`,
  :func:`airport_cargo`, :func:`cbec_zone`, :func:`cbec_seniority`, :func:`express_volume`,
  :func:`population`, :func:`catchment_volume`, :func:`gravity_access` (Hansen [6]_) and the
  optional policy criterion :func:`tier_score`. :func:`default_criteria` is the set the
  command line uses.
* **Weights.** Caller-given (normalised to sum 1), equal, Shannon entropy [5]_
  (:func:`entropy_weights`) or the analytic hierarchy process [3]_ [4]_
  (:func:`ahp_weights`).
* **Methods.** :func:`score` ranks candidates with TOPSIS [1]_, a min--max weighted sum or
  VIKOR [2]_ (:class:`Method`) and explains each score by per-criterion contributions.
* **Robustness.** :func:`rank_stability` perturbs the weights by Monte Carlo, vectorised
  over all draws, and reports each candidate's mean rank, rank interval and probability of
  staying in the top *k*.

References
----------
.. [1] Hwang, C.-L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
   Applications*. Springer, Berlin. (TOPSIS)
.. [2] Opricovic, S., & Tzeng, G.-H. (2004). Compromise solution by MCDM methods: A
   comparative analysis of VIKOR and TOPSIS. *European Journal of Operational Research*,
   156(2), 445--455.
.. [3] Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill, New York.
.. [4] Saaty, T. L. (1990). How to make a decision: The analytic hierarchy process.
   *European Journal of Operational Research*, 48(1), 9--26.
.. [5] Shannon, C. E. (1948). A mathematical theory of communication. *Bell System
   Technical Journal*, 27, 379--423; entropy weights as in Zeleny, M. (1982).
   *Multiple Criteria Decision Making*. McGraw-Hill, New York.
.. [6] Hansen, W. G. (1959). How accessibility shapes land use. *Journal of the American
   Institute of Planners*, 25(2), 73--76. (gravity accessibility)
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.geo import distance_matrix

__all__ = [
    "Criterion",
    "Method",
    "AHPResult",
    "score",
    "entropy_weights",
    "ahp_weights",
    "rank_stability",
    "missing_values",
    "sparse_criteria",
    "default_criteria",
    "default_weights",
    "rcep_proximity",
    "border_port_distance",
    "rail_hub",
    "coastal",
    "airport_cargo",
    "cbec_zone",
    "cbec_seniority",
    "express_volume",
    "population",
    "catchment_volume",
    "gravity_access",
    "tier_score",
]

_DIRECTIONS = ("benefit", "cost")
_NAN_POLICIES = ("auto", "raise", "drop", "worst")

#: Share of the scored candidates below which ``nan_policy="auto"`` leaves a criterion
#: out: a criterion with a finite value for fewer than half of them is not scored.
SPARSE_COVERAGE = 0.5

#: Saaty's random consistency index RI(n): n = 1..10 as in Saaty (1980) and Saaty (1990);
#: n = 11..15 is the extension usually quoted with that table. Other simulations give
#: slightly different values (e.g. Alonso & Lamata 2006), so report CR together with n.
SAATY_RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}

#: Points of each tier of 专栏4 used by :func:`tier_score` (a place takes its best tier).
TIER_POINTS: dict[str, float] = {
    "CORE": 1.0,
    "LONG_TERM": 0.75,
    "PROVINCIAL": 0.75,
    "RAIL": 0.5,
    "ENCOURAGED": 0.25,
    "PORT": 0.25,
}


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
# Criteria
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion: where its values come from and which way is better.

    Parameters
    ----------
    name : str
        Label of the criterion; it names the output columns of :func:`score`
        (``<name>_norm``, ``<name>_contrib``) and the keys of a weights mapping.
    source : str (column label) or callable
        A column of the candidates frame, or a function ``f(candidates) -> Series``
        returning one value per candidate (indexed like the candidates; an array of the
        right length is taken in row order).
    direction : {"benefit", "cost"}
        ``"benefit"``: larger is better; ``"cost"``: smaller is better (any case).
    weight : float, optional
        Default weight, used by :func:`score` when ``weights=None`` and every criterion
        carries one.
    description : str, optional
        One line saying what the criterion measures.
    unit : str, optional
        Unit of the raw values, e.g. ``"km"`` or ``"亿件"``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = Criterion("pop", "population", "Benefit", unit="persons")
    >>> c.direction
    'benefit'
    >>> frame = pd.DataFrame({"population": [10, 20]}, index=["a", "b"])
    >>> c.evaluate(frame).tolist()
    [10.0, 20.0]
    >>> Criterion("double", lambda f: 2 * f["population"], "benefit").evaluate(frame).tolist()
    [20.0, 40.0]
    """

    name: str
    source: Hashable | Callable[[pd.DataFrame], Any]
    direction: str
    weight: float | None = None
    description: str = ""
    unit: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise SpecificationError(
                f"a criterion name must be a non-empty string, got {self.name!r}."
            )
        object.__setattr__(self, "direction", _direction(self.direction, self.name))
        if not (callable(self.source) or isinstance(self.source, Hashable)):
            raise SpecificationError(
                f"criterion {self.name!r}: source must be a column name or a callable "
                f"f(candidates) -> Series, got {type(self.source).__name__}."
            )
        if self.weight is not None:
            w = _real(self.weight, f"criterion {self.name!r}: weight")
            if not math.isfinite(w) or w < 0:
                raise SpecificationError(
                    f"criterion {self.name!r}: weight must be a finite number >= 0, got "
                    f"{self.weight!r}."
                )
            object.__setattr__(self, "weight", w)

    def evaluate(self, candidates: pd.DataFrame) -> pd.Series:
        """Return the criterion's raw values, one float per candidate.

        Parameters
        ----------
        candidates : pandas.DataFrame
            The candidates (a GeoDataFrame for distance-based criteria).

        Returns
        -------
        pandas.Series
            Float values indexed like ``candidates`` and named after the criterion; NaN
            marks a missing value (see ``nan_policy`` in :func:`score`).

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"coastal": [True, False]}, index=["a", "b"])
        >>> Criterion("sea", "coastal", "benefit").evaluate(frame).tolist()
        [1.0, 0.0]
        """
        if not callable(self.source):
            if self.source not in candidates.columns:
                raise DataError(
                    f"criterion {self.name!r} reads column {self.source!r}, which the "
                    f"candidates do not have; available columns: {list(candidates.columns)}."
                )
            raw: Any = candidates[self.source]
        else:
            raw = self.source(candidates)
        return _as_float_series(raw, candidates.index, self.name)


def _real(value: Any, name: str) -> float:
    """A numeric parameter as a float, or a SpecificationError naming the value."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SpecificationError(f"{name} must be a number, got {value!r}.") from None


def _direction(value: Any, name: str) -> str:
    if isinstance(value, str) and value.strip().lower() in _DIRECTIONS:
        return value.strip().lower()
    raise SpecificationError(
        f"criterion {name!r}: direction must be 'benefit' or 'cost', got {value!r}."
    )


def _as_float_series(raw: Any, index: pd.Index, name: str) -> pd.Series:
    """Turn a criterion's output into a float Series aligned with ``index``."""
    if isinstance(raw, pd.DataFrame):
        raise DataError(f"criterion {name!r} produced a DataFrame; it must give one value per row.")
    if isinstance(raw, pd.Series):
        if not raw.index.equals(index):
            if raw.index.has_duplicates or set(raw.index) != set(index):
                missing = list(index.difference(raw.index)[:5])
                extra = list(raw.index.difference(index)[:5])
                raise DataError(
                    f"criterion {name!r} returned values for other labels than the "
                    f"candidates (missing {missing}, unexpected {extra}); return a Series "
                    "indexed like the candidates."
                )
            raw = raw.reindex(index)
        values = raw
    else:
        arr = np.asarray(raw)
        if arr.ndim != 1 or len(arr) != len(index):
            raise DataError(
                f"criterion {name!r} produced shape {arr.shape}; expected one value per "
                f"candidate ({len(index)})."
            )
        values = pd.Series(arr, index=index)
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(float)
    kind = values.dtype
    text = pd.api.types.is_object_dtype(kind) or pd.api.types.is_string_dtype(kind)
    if pd.api.types.is_complex_dtype(kind) or not (pd.api.types.is_numeric_dtype(kind) or text):
        # dates, durations, categories, complex numbers: not real numbers to rank by
        raise DataError(
            f"criterion {name!r} is not numeric (dtype {kind}), e.g. "
            f"{values.head(3).tolist()}; convert the column to real numbers first."
        )
    if text:  # objects or text: numbers written as text are taken, anything else named
        converted = pd.to_numeric(values, errors="coerce")
        bad = values[converted.isna() & values.notna()]
        if len(bad):
            raise DataError(
                f"criterion {name!r} is not numeric (dtype {kind}); non-numeric values in rows "
                f"{list(bad.index[:5])}, e.g. {list(bad.iloc[:3])}. Convert the column to "
                "numbers first."
            )
        values = converted
    out = pd.Series(values.to_numpy(dtype=float, na_value=np.nan), index=index, name=name)
    if isinstance(raw, pd.Series):
        out.attrs = dict(raw.attrs)  # e.g. border_port_distance's "stand_in"
    return out


def _resolve_criteria(
    criteria: Mapping[str, str] | Sequence[Criterion] | Criterion,
) -> list[Criterion]:
    if isinstance(criteria, Criterion):
        criteria = [criteria]
    if isinstance(criteria, Mapping):
        out = [Criterion(str(col), col, d) for col, d in criteria.items()]
    elif isinstance(criteria, Sequence) and not isinstance(criteria, str):
        out = list(criteria)
        bad = [c for c in out if not isinstance(c, Criterion)]
        if bad:
            raise SpecificationError(
                f"criteria must be a mapping {{column: 'benefit' | 'cost'}} or a sequence of "
                f"Criterion objects; got {bad[:3]!r}."
            )
    else:
        raise SpecificationError(
            "criteria must be a mapping {column: 'benefit' | 'cost'} or a sequence of "
            f"Criterion objects, got {type(criteria).__name__}."
        )
    if not out:
        raise SpecificationError("no criteria given; pass at least one criterion.")
    names = [c.name for c in out]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise SpecificationError(f"criterion names must be unique; repeated: {dups}.")
    return out


def _check_candidates(candidates: Any) -> None:
    if not isinstance(candidates, pd.DataFrame):
        raise DataError(
            f"candidates must be a pandas DataFrame or GeoDataFrame, got "
            f"{type(candidates).__name__}."
        )
    if len(candidates) == 0:
        raise DataError("candidates is empty; score needs at least one row.")
    if candidates.index.has_duplicates:
        dup = list(pd.unique(candidates.index[candidates.index.duplicated()])[:5])
        raise DataError(
            f"candidates has duplicate index labels {dup}; scores are keyed by label, so make "
            "the index unique."
        )


def _apply_nan_policy(
    matrix: pd.DataFrame, crits: list[Criterion], nan_policy: str
) -> pd.DataFrame:
    """Apply ``"raise"``, ``"drop"`` or ``"worst"`` (``"auto"`` fills like ``"worst"``)."""
    finite = np.isfinite(matrix.to_numpy())
    if finite.all():
        return matrix
    if nan_policy == "raise":
        parts = []
        for j, c in enumerate(crits):
            rows = list(matrix.index[~finite[:, j]])
            if rows:
                more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
                parts.append(f"{c.name!r} in rows {rows[:10]}{more}")
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
        return matrix.loc[keep].copy()
    # "worst"
    filled = matrix.copy()
    for j, c in enumerate(crits):
        col = matrix.iloc[:, j]
        ok = finite[:, j]
        if not ok.any():
            raise DataError(
                f"criterion {c.name!r} has no finite value at all; nan_policy='worst' cannot "
                "fill it. Drop the criterion."
            )
        worst = col[ok].max() if c.direction == "cost" else col[ok].min()
        filled.iloc[~ok, j] = worst
    return filled


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


def _evaluate(candidates: pd.DataFrame, crits: list[Criterion]) -> pd.DataFrame:
    """The raw criterion values, one column per criterion."""
    return pd.DataFrame({c.name: c.evaluate(candidates) for c in crits}, index=candidates.index)


def _criteria_matrix(
    candidates: pd.DataFrame, criteria: Mapping[str, str] | Sequence[Criterion] | Criterion
) -> pd.DataFrame:
    """:func:`_evaluate` on checked candidates and criteria given in any accepted form."""
    _check_candidates(candidates)
    return _evaluate(candidates, _resolve_criteria(criteria))


def _coverage(matrix: pd.DataFrame) -> pd.Series:
    """Share of rows with a finite value, per column."""
    finite = np.isfinite(matrix.to_numpy(dtype=float))
    return pd.Series(finite.mean(axis=0), index=matrix.columns, dtype=float)


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


def _scoring_inputs(
    candidates: pd.DataFrame, crits: list[Criterion], weights: Any, nan_policy: str
) -> tuple[pd.DataFrame, list[Criterion], np.ndarray, dict[str, float]]:
    """Decision matrix, criteria kept, their weights and the criteria left out.

    Under ``nan_policy="auto"`` the sparse criteria (:func:`sparse_criteria`) are left
    out with a warning and the weights of the others are renormalised (explicit weights
    are resolved over all criteria first, so a mapping naming every criterion still
    works); the remaining missing values take the criterion's worst value.
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
    if not omitted:
        matrix = _apply_nan_policy(raw, crits, nan_policy)
        return matrix, crits, _resolve_weights(weights, crits, matrix), {}
    kept = [c for c in crits if c.name not in omitted]
    n = len(raw)
    what = ", ".join(f"{k!r} (a value for {round(v * n)} of {n})" for k, v in omitted.items())
    if not kept:
        raise DataError(
            f"every criterion has a value for fewer than half of the candidates: {what}. "
            "Fill them, or pass nan_policy='worst' (the criterion's worst observed value) "
            "or nan_policy='drop'."
        )
    matrix = _apply_nan_policy(raw[[c.name for c in kept]], kept, "worst")
    if isinstance(weights, str):
        w = _resolve_weights(weights, kept, matrix)
    else:
        full = _resolve_weights(weights, crits, matrix)
        w = np.array([x for c, x in zip(crits, full, strict=True) if c.name not in omitted])
        if not w.sum() > 0:
            raise SpecificationError(
                f"all the weight is on criteria left out for lack of data ({what}); pass "
                "nan_policy='worst' to score them, or weigh the other criteria."
            )
        w = w / w.sum()
    warnings.warn(
        f"criteria left out of the scoring, sourced for fewer than half of the candidates "
        f"(nan_policy='auto'): {what}; the other weights are renormalised. Pass "
        "nan_policy='worst' to keep them with the worst observed value filled in.",
        UserWarning,
        stacklevel=3,
    )
    return matrix, kept, w, omitted


# ----------------------------------------------------------------------------------------
# Weights
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AHPResult:
    """Weights and consistency of an AHP pairwise comparison matrix.

    Attributes
    ----------
    weights : pandas.Series
        Principal-eigenvector weights, summing to 1, indexed by the matrix labels.
    lambda_max : float
        Principal eigenvalue of the pairwise matrix (``>= n``; ``= n`` when consistent).
    consistency_index : float
        ``CI = (lambda_max - n) / (n - 1)`` (0 for n <= 2).
    random_index : float
        Saaty's random index ``RI(n)`` (:data:`SAATY_RANDOM_INDEX`).
    consistency_ratio : float
        ``CR = CI / RI`` (0 for n <= 2). Saaty accepts ``CR <= 0.1``.

    Examples
    --------
    >>> res = ahp_weights([[1, 2], [0.5, 1]])
    >>> res.weights.round(4).tolist(), res.consistent
    ([0.6667, 0.3333], True)
    """

    weights: pd.Series
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        """Whether ``consistency_ratio <= 0.1`` (Saaty's threshold).

        Returns
        -------
        bool
            True when the judgements are acceptably consistent.

        Examples
        --------
        >>> ahp_weights([[1, 3], [1 / 3, 1]]).consistent
        True
        """
        return bool(self.consistency_ratio <= 0.1)


def ahp_weights(pairwise: Any, strict: bool = False, tol: float = 0.05) -> AHPResult:
    """Weights from an AHP pairwise comparison matrix (Saaty's eigenvector method).

    Entry ``a[i, j]`` says how many times criterion *i* is more important than *j* on
    Saaty's 1--9 scale; the matrix must be square, positive, with unit diagonal and
    reciprocal (``a[j, i] = 1 / a[i, j]``). The weights are the principal (Perron)
    eigenvector ``w`` of ``A w = lambda_max w``, scaled to sum 1. Consistency:
    ``CI = (lambda_max - n) / (n - 1)``, ``CR = CI / RI(n)`` with Saaty's random index
    table ``RI = 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56,
    1.57, 1.59`` for ``n = 1..15`` (Saaty 1980 for n <= 10; the usual extension above,
    see :data:`SAATY_RANDOM_INDEX`). Matrices with ``CR > 0.1`` should be revised.

    Parameters
    ----------
    pairwise : array_like or pandas.DataFrame
        ``n x n`` comparison matrix, ``1 <= n <= 15``. A DataFrame must have the same labels
        on both axes (they label the weights); an array gives labels ``0..n-1``.
    strict : bool, default False
        Raise :class:`~borderhub.exceptions.SpecificationError` when ``CR > 0.1`` instead
        of returning the result (check :attr:`AHPResult.consistent`).
    tol : float, default 0.05
        Tolerance of the checks ``|a_ii - 1| <= tol`` and ``|a_ij a_ji - 1| <= tol``, so that
        judgements typed as two-decimal numbers (``0.14`` for 1/7, ``0.13`` for 1/8) pass.

    Returns
    -------
    AHPResult
        ``weights`` (Series), ``lambda_max``, ``consistency_index``, ``random_index``,
        ``consistency_ratio``; pass it as ``weights=`` to :func:`score`.

    Raises
    ------
    SpecificationError
        The matrix is not square, not finite and positive, not reciprocal, has a diagonal
        other than 1, is larger than 15 x 15, or (with ``strict``) ``CR > 0.1``.

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill. Saaty, T. L. (1990).
    How to make a decision: The analytic hierarchy process. *EJOR* 48(1), 9--26.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = ["volume", "rcep", "rail"]
    >>> A = pd.DataFrame([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]],
    ...                  index=labels, columns=labels)
    >>> res = ahp_weights(A)
    >>> res.weights.round(3)
    volume    0.637
    rcep      0.258
    rail      0.105
    Name: weight, dtype: float64
    >>> round(res.consistency_ratio, 3)
    0.033
    """
    if isinstance(pairwise, pd.DataFrame):
        if not pairwise.index.equals(pairwise.columns):
            raise SpecificationError(
                "the pairwise DataFrame must have the same labels, in the same order, on its "
                f"index and columns; got index {list(pairwise.index)} and columns "
                f"{list(pairwise.columns)}."
            )
        labels: pd.Index = pairwise.index
        try:
            a = pairwise.to_numpy(dtype=float)
        except (TypeError, ValueError) as err:
            raise SpecificationError("the pairwise matrix must hold numbers.") from err
    else:
        try:
            a = np.array(pairwise, dtype=float)
        except (TypeError, ValueError) as err:
            raise SpecificationError(
                "the pairwise matrix must be a square array of positive numbers."
            ) from err
        labels = pd.RangeIndex(a.shape[0]) if a.ndim == 2 else pd.RangeIndex(0)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise SpecificationError(
            f"the pairwise matrix must be square (n x n), got shape {a.shape}."
        )
    n = a.shape[0]
    if n > max(SAATY_RANDOM_INDEX):
        raise SpecificationError(
            f"the pairwise matrix has {n} criteria; Saaty's random index is tabulated up to "
            f"{max(SAATY_RANDOM_INDEX)}. Group the criteria into a hierarchy."
        )
    if not np.isfinite(a).all() or (a <= 0).any():
        bad = [(labels[i], labels[j]) for i, j in np.argwhere(~np.isfinite(a) | (a <= 0))]
        raise SpecificationError(
            f"pairwise entries must be finite and positive; bad entries at {bad[:5]}."
        )
    diag = np.diag(a)
    if not np.allclose(diag, 1.0, rtol=0, atol=tol):
        bad = [labels[int(i)] for i in np.nonzero(~np.isclose(diag, 1.0, rtol=0, atol=tol))[0]]
        raise SpecificationError(f"the pairwise diagonal must be 1; it is not for {bad[:5]}.")
    prod = a * a.T
    nonrec = np.abs(prod - 1.0) > tol
    if nonrec.any():
        pairs = [(labels[i], labels[j], a[i, j], a[j, i]) for i, j in np.argwhere(np.triu(nonrec))]
        shown = ", ".join(
            f"a[{i!r},{j!r}]={x:g} vs a[{j!r},{i!r}]={y:g}" for i, j, x, y in pairs[:5]
        )
        raise SpecificationError(
            f"the pairwise matrix is not reciprocal (a[j,i] must be 1/a[i,j]): {shown}."
        )
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    ri = SAATY_RANDOM_INDEX[n]
    if n <= 2:
        ci = cr = 0.0
    else:
        ci = max((lam - n) / (n - 1), 0.0)
        cr = ci / ri
    if strict and cr > 0.1:
        raise SpecificationError(
            f"the pairwise judgements are inconsistent: consistency ratio {cr:.3f} > 0.1 "
            f"(lambda_max {lam:.3f}, n {n}). Revise the comparisons or pass strict=False."
        )
    return AHPResult(
        weights=pd.Series(w, index=labels.copy(), name="weight"),
        lambda_max=lam,
        consistency_index=float(ci),
        random_index=float(ri),
        consistency_ratio=float(cr),
    )


def entropy_weights(matrix: Any) -> Any:
    """Shannon entropy weights of a decision matrix (rows = alternatives, columns = criteria).

    With ``m`` alternatives, ``p_ij = x_ij / sum_i x_ij``,
    ``E_j = -(1 / ln m) * sum_i p_ij ln p_ij`` (with ``0 ln 0 = 0``), divergence
    ``d_j = 1 - E_j`` and weight ``w_j = d_j / sum_k d_k``. A criterion whose values are
    spread unevenly carries more information and gets more weight. The direction of a
    criterion does not matter: entropy is computed on the raw, non-negative values.

    Zeros are allowed (their term is 0, the limit of ``p ln p``). A constant column
    (including an all-zero column) carries no information: ``E_j = 1`` and weight 0.

    Parameters
    ----------
    matrix : array_like or pandas.DataFrame
        ``m x n`` non-negative finite values, ``m >= 2``.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Weights summing to 1; a Series indexed by the columns when ``matrix`` is a
        DataFrame.

    Raises
    ------
    DataError
        Negative, NaN or infinite values; fewer than two rows; or every column constant.

    References
    ----------
    Shannon (1948); Zeleny, M. (1982). *Multiple Criteria Decision Making*. McGraw-Hill.

    Examples
    --------
    >>> entropy_weights([[1, 5], [1, 1], [1, 9]]).round(3).tolist()
    [0.0, 1.0]
    >>> import pandas as pd
    >>> entropy_weights(pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 4]})).round(3)
    a    0.698
    b    0.302
    dtype: float64
    """
    labels = matrix.columns if isinstance(matrix, pd.DataFrame) else None
    try:
        x = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as err:
        text = repr(matrix)
        text = text if len(text) <= 80 else text[:77] + "..."
        raise DataError(
            f"entropy_weights needs a numeric matrix, got {text}; convert the values to "
            "numbers first (e.g. with pandas.to_numeric)."
        ) from err
    if x.ndim != 2:
        raise DataError(
            f"entropy_weights needs a 2-D matrix (alternatives x criteria), got {x.ndim}-D."
        )
    m, n = x.shape
    if m < 2 or n < 1:
        raise DataError(f"entropy_weights needs at least 2 rows and 1 column, got shape {x.shape}.")
    names = list(labels) if labels is not None else list(range(n))
    if not np.isfinite(x).all():
        cols = [names[j] for j in np.nonzero(~np.isfinite(x).all(axis=0))[0]]
        raise DataError(
            f"entropy_weights: NaN or infinite values in columns {cols[:5]}; drop or fill "
            "them first."
        )
    if (x < 0).any():
        cols = [names[j] for j in np.nonzero((x < 0).any(axis=0))[0]]
        raise DataError(
            f"entropy_weights needs non-negative values; columns {cols[:5]} have negatives. "
            "Shift them (e.g. subtract the minimum) or give weights explicitly."
        )
    d = _entropy_divergence(x)
    if not (d > 0).any():
        raise DataError(
            "entropy weights are undefined: every criterion is constant across the "
            "alternatives. Use weights='equal' or explicit weights."
        )
    w = d / d.sum()
    return pd.Series(w, index=labels.copy(), dtype=float) if labels is not None else w


def _entropy_divergence(x: np.ndarray) -> np.ndarray:
    m = x.shape[0]
    total = x.sum(axis=0)
    # constant up to rounding: such a column carries no information (its entropy is 1)
    constant = np.ptp(x, axis=0) <= 1e-12 * np.abs(x).max(axis=0)
    p = np.divide(x, total, out=np.zeros_like(x), where=total > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / np.log(m)
    d = np.clip(1.0 - e, 0.0, None)
    d[constant] = 0.0
    return d


def _resolve_weights(weights: Any, crits: list[Criterion], matrix: pd.DataFrame) -> np.ndarray:
    """Return weights aligned with ``crits`` summing to 1."""
    names = [c.name for c in crits]
    m = len(names)
    if weights is None:
        carried = [c.weight for c in crits]
        if all(w is not None for w in carried):
            raw = np.array(carried, dtype=float)
            return _normalise(raw, names, "the criteria's own weights")
        if any(w is not None for w in carried):
            missing = [c.name for c in crits if c.weight is None]
            raise SpecificationError(
                f"some criteria carry a weight and others do not ({missing}); give every "
                "criterion a weight, or pass weights= explicitly."
            )
        return np.full(m, 1.0 / m)
    if isinstance(weights, str):
        key = weights.strip().lower()
        if key == "equal":
            return np.full(m, 1.0 / m)
        if key == "entropy":
            return np.asarray(entropy_weights(matrix.to_numpy()), dtype=float)
        raise SpecificationError(
            f"unknown weights {weights!r}; use 'equal', 'entropy', a mapping "
            "{criterion: weight}, or the result of ahp_weights()."
        )
    if isinstance(weights, AHPResult):
        weights = weights.weights
    if isinstance(weights, Mapping | pd.Series):
        keys = [str(k) for k in weights.keys()]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise SpecificationError(
                f"weights name criteria {dup} more than once; give one weight per criterion."
            )
        given = {str(k): val for k, val in weights.items()}
        unknown = [k for k in given if k not in names]
        if unknown:
            raise SpecificationError(
                f"weights given for criteria that do not exist: {unknown}; the criteria are "
                f"{names}."
            )
        missing = [n for n in names if n not in given]
        if missing:
            raise SpecificationError(
                f"no weight given for criteria {missing}; give every criterion a weight "
                "(0 to ignore one)."
            )
        try:
            raw = np.array([float(given[n]) for n in names])
        except (TypeError, ValueError) as err:
            raise SpecificationError(f"weights must be numbers, got {given!r}.") from err
        return _normalise(raw, names, "weights")
    try:
        raw = np.asarray(weights, dtype=float)
    except (TypeError, ValueError) as err:
        raise SpecificationError(
            f"weights must be None, 'equal', 'entropy', a mapping, an AHPResult or a sequence "
            f"of numbers; got {type(weights).__name__}."
        ) from err
    if raw.shape != (m,):
        raise SpecificationError(
            f"{m} criteria but weights of shape {raw.shape}; give one weight per criterion."
        )
    return _normalise(raw, names, "weights")


def _normalise(raw: np.ndarray, names: list[str], what: str) -> np.ndarray:
    bad = [(n, v) for n, v in zip(names, raw, strict=True) if not np.isfinite(v) or v < 0]
    if bad:
        raise SpecificationError(f"{what} must be finite and >= 0; offending: {dict(bad)}.")
    total = raw.sum()
    if total <= 0:
        raise SpecificationError(f"{what} are all zero; at least one weight must be positive.")
    return raw / total


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
    _check_candidates(candidates)
    meth = Method(method)
    v = _real(v, "VIKOR v")
    if not 0.0 <= v <= 1.0:
        raise SpecificationError(f"VIKOR v must be in [0, 1], got {v}.")
    crits = _resolve_criteria(criteria)
    matrix, crits, w, omitted = _scoring_inputs(candidates, crits, weights, nan_policy)
    benefit = np.array([c.direction == "benefit" for c in crits])
    prep = _prepare(matrix.to_numpy(dtype=float), benefit, meth, v)
    res = _scores(prep, w[None, :])
    contrib = _contributions(prep, w, res)
    names = [c.name for c in crits]
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
    out = pd.DataFrame(cols, index=matrix.index.copy())
    out.attrs["weights"] = dict(zip(names, w.tolist(), strict=True))
    out.attrs["method"] = meth.value
    out.attrs["omitted"] = omitted
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
    _check_candidates(candidates)
    meth = Method(method)
    v = _real(v, "VIKOR v")
    if not 0.0 <= v <= 1.0:
        raise SpecificationError(f"VIKOR v must be in [0, 1], got {v}.")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise SpecificationError(f"n (number of draws) must be a positive integer, got {n!r}.")
    spread = _real(spread, "spread")
    if not math.isfinite(spread) or spread < 0:
        raise SpecificationError(f"spread must be a finite number >= 0, got {spread!r}.")
    if isinstance(top_k, bool) or not isinstance(top_k, int | np.integer) or top_k < 1:
        raise SpecificationError(f"top_k must be a positive integer, got {top_k!r}.")
    try:
        lo_q, hi_q = (_real(q, "interval") for q in interval)
    except (TypeError, ValueError):
        raise SpecificationError(
            f"interval must be two percentiles (lo, hi), got {interval!r}."
        ) from None
    if not 0.0 <= lo_q <= hi_q <= 100.0:
        raise SpecificationError(
            f"interval must be percentiles 0 <= lo <= hi <= 100, got {interval}."
        )
    crits = _resolve_criteria(criteria)
    matrix, crits, w, omitted = _scoring_inputs(candidates, crits, weights, nan_policy)
    benefit = np.array([c.direction == "benefit" for c in crits])
    prep = _prepare(matrix.to_numpy(dtype=float), benefit, meth, v)

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
        index=matrix.index.copy(),
    )
    out.attrs.update(
        {
            "n": int(n),
            "spread": spread,
            "seed": seed if isinstance(seed, int) else None,
            "top_k": int(top_k),
            "method": meth.value,
            "weights": dict(zip([c.name for c in crits], w.tolist(), strict=True)),
            "omitted": omitted,
        }
    )
    return out


# ----------------------------------------------------------------------------------------
# Built-in criteria
# ----------------------------------------------------------------------------------------


def _column(candidates: pd.DataFrame, col: str, fn: str) -> pd.Series:
    if not isinstance(candidates, pd.DataFrame):
        raise DataError(f"{fn}: candidates must be a DataFrame, got {type(candidates).__name__}.")
    if col not in candidates.columns:
        raise DataError(
            f"{fn} needs a {col!r} column (as in borderhub.datasets.candidates()); the "
            f"candidates have {list(candidates.columns)}."
        )
    return candidates[col]


def rcep_proximity(
    candidates: pd.DataFrame,
    partners: pd.DataFrame | None = None,
    weights: Mapping[str, float] | pd.Series | None = None,
) -> pd.Series:
    """Weighted mean geodesic distance (km) from each candidate to the RCEP partner hubs.

    ``d_i = sum_k omega_k dist(i, k) / sum_k omega_k`` over the partner hubs ``k``. A cost:
    smaller means closer to the RCEP markets as a whole, or to the heavily weighted ones.

    Parameters
    ----------
    candidates : GeoDataFrame or DataFrame with ``lon``/``lat``
        The candidate places.
    partners : GeoDataFrame or DataFrame, optional
        Partner hubs; default: :func:`borderhub.datasets.partners` rows with ``rcep`` true.
        Needs an ``iso3`` column when weights are given by country.
    weights : mapping, optional
        ``{key: weight}`` where a key is a partner hub label (e.g. ``"SGP-SIN"``) or an ISO
        3166 alpha-3 country code (e.g. ``"JPN"``), for instance trade shares. A country's
        weight is split equally over its hubs in ``partners``; hubs not named get weight 0.
        Default: every hub weighs the same, so a country with several hubs in ``partners``
        weighs more; pass ``{iso3: 1, ...}`` to weigh the countries equally.

    Returns
    -------
    pandas.Series
        km, indexed like ``candidates``, named ``"rcep_proximity"``.

    Raises
    ------
    SpecificationError
        Unknown keys, negative or all-zero weights.

    Examples
    --------
    >>> import pandas as pd
    >>> cands = pd.DataFrame({"lon": [108.3, 126.6], "lat": [22.8, 45.8]},
    ...                      index=["南宁", "哈尔滨"])
    >>> hubs = pd.DataFrame({"iso3": ["VNM", "KOR"], "lon": [105.8, 126.98],
    ...                      "lat": [21.0, 37.57]}, index=["VNM-HAN", "KOR-SEL"])
    >>> rcep_proximity(cands, hubs).round(-1)
    南宁     1370.0
    哈尔滨    2130.0
    Name: rcep_proximity, dtype: float64
    >>> rcep_proximity(cands, hubs, weights={"VNM": 1, "KOR": 0}).round(-1).tolist()
    [330.0, 3340.0]
    """
    if partners is None:
        from borderhub import datasets

        allp = datasets.partners()
        partners = allp.loc[allp["rcep"].astype(bool)]
    if len(partners) == 0:
        raise DataError(
            "rcep_proximity: the partners frame is empty; pass at least one partner hub, or "
            "None for the bundled RCEP hubs."
        )
    dist = distance_matrix(candidates, partners)
    if weights is None:
        omega = np.full(len(partners), 1.0)
    else:
        omega = np.zeros(len(partners))
        iso = partners["iso3"].astype(str).to_numpy() if "iso3" in partners.columns else None
        labels = partners.index
        unknown = []
        for key, val in dict(weights.items()).items():
            try:
                val = float(val)
            except (TypeError, ValueError) as err:
                raise SpecificationError(
                    f"rcep_proximity weight for {key!r} is not a number."
                ) from err
            if not math.isfinite(val) or val < 0:
                raise SpecificationError(
                    f"rcep_proximity weights must be finite and >= 0; {key!r} has {val}."
                )
            if key in labels:
                omega[labels.get_loc(key)] += val
            elif iso is not None and (iso == key).any():
                hit = iso == key
                omega[hit] += val / hit.sum()
            else:
                unknown.append(key)
        if unknown:
            known_iso = sorted(set(iso)) if iso is not None else []
            raise SpecificationError(
                f"rcep_proximity weights name unknown partners {unknown}; use partner labels "
                f"{list(labels)[:20]} or country codes {known_iso}."
            )
        if omega.sum() <= 0:
            raise SpecificationError("rcep_proximity weights are all zero.")
    vals = dist.to_numpy() @ (omega / omega.sum())
    return pd.Series(vals, index=candidates.index.copy(), name="rcep_proximity")


def border_port_distance(
    candidates: pd.DataFrame, ports: pd.DataFrame | None = None, sourced_only: bool = False
) -> pd.Series:
    """Geodesic distance (km) from each candidate to the nearest land border port.

    A cost: road express to neighbouring countries crosses at these ports.

    Parameters
    ----------
    candidates : GeoDataFrame or DataFrame with ``lon``/``lat``
        The candidate places.
    ports : GeoDataFrame or DataFrame, optional
        Border ports; default :func:`borderhub.datasets.border_ports`. Ports whose
        ``lon``/``lat`` is missing are left out.
    sourced_only : bool, default False
        Use only ports whose point is their own sourced point (``point_sourced`` True in
        :func:`borderhub.datasets.border_ports`), leaving out those for which the admin
        centre of their county stands in. Requires a ``point_sourced`` column.

    Returns
    -------
    pandas.Series
        km, indexed like ``candidates``, named ``"border_port_distance"``. When the ports
        carry ``point_sourced``, ``attrs["stand_in"]`` lists the candidates whose nearest
        port has no sourced point of its own (its county's admin centre stands in): their
        distance is an estimate.

    Raises
    ------
    DataError
        No port is left (empty frame, no point, or none sourced), or ``sourced_only`` is
        asked of a frame without ``point_sourced``.

    Examples
    --------
    >>> import pandas as pd
    >>> cands = pd.DataFrame({"lon": [131.15, 116.4], "lat": [44.4, 39.9]},
    ...                      index=["绥芬河", "北京"])
    >>> ports = pd.DataFrame({"lon": [131.16, 117.4], "lat": [44.41, 49.6],
    ...                       "point_sourced": [False, True]},
    ...                      index=["绥芬河口岸", "满洲里口岸"])
    >>> border_port_distance(cands, ports).round(0).tolist()
    [1.0, 1081.0]
    >>> border_port_distance(cands, ports, sourced_only=True).round(0).tolist()
    [1192.0, 1081.0]
    >>> border_port_distance(cands, ports).attrs["stand_in"]
    ['绥芬河']
    """
    if ports is None:
        from borderhub import datasets

        ports = datasets.border_ports()
    if sourced_only:
        if "point_sourced" not in ports.columns:
            raise DataError(
                "border_port_distance: sourced_only=True needs a boolean 'point_sourced' "
                "column in ports (as in borderhub.datasets.border_ports()); pass "
                "sourced_only=False to use every port"
            )
        ports = ports[ports["point_sourced"].fillna(False).astype(bool).to_numpy()]
    if {"lon", "lat"} <= set(ports.columns):
        ports = ports[ports[["lon", "lat"]].notna().all(axis=1).to_numpy()]
    if len(ports) == 0:
        raise DataError(
            "border_port_distance: the ports frame is empty or has no port with a point left; "
            "pass at least one port with lon/lat, or None for the bundled land border ports"
            + (" (sourced_only=True keeps only ports with a sourced point)" if sourced_only else "")
        )
    dist = distance_matrix(candidates, ports).to_numpy()
    out = pd.Series(dist.min(axis=1), index=candidates.index.copy(), name="border_port_distance")
    if "point_sourced" in ports.columns:
        sourced = ports["point_sourced"].fillna(False).astype(bool).to_numpy()
        nearest = dist.argmin(axis=1)
        out.attrs["stand_in"] = [
            c for c, k in zip(out.index, nearest, strict=True) if not sourced[k]
        ]
    return out


def _indicator(candidates: pd.DataFrame, col: str, fn: str) -> pd.Series:
    s = _column(candidates, col, fn)
    if s.isna().any():
        raise DataError(
            f"{fn}: column {col!r} has missing values in rows {list(s.index[s.isna()][:5])}; "
            "fill them with True or False."
        )
    return pd.Series(
        s.astype(bool).astype(float).to_numpy(), index=candidates.index.copy(), name=fn
    )


def rail_hub(candidates: pd.DataFrame) -> pd.Series:
    """1.0 for a China–Europe Railway Express assembly centre (``rail_hub`` column), else 0.0.

    A benefit.

    Parameters
    ----------
    candidates : DataFrame
        With a boolean ``rail_hub`` column.

    Returns
    -------
    pandas.Series
        0.0 / 1.0 indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> rail_hub(pd.DataFrame({"rail_hub": [True, False]})).tolist()
    [1.0, 0.0]
    """
    return _indicator(candidates, "rail_hub", "rail_hub")


def coastal(candidates: pd.DataFrame) -> pd.Series:
    """1.0 for a coastal place (sea-port gateway, ``coastal`` column), else 0.0.

    A benefit.

    Parameters
    ----------
    candidates : DataFrame
        With a boolean ``coastal`` column.

    Returns
    -------
    pandas.Series
        0.0 / 1.0 indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> coastal(pd.DataFrame({"coastal": [False, True]})).tolist()
    [0.0, 1.0]
    """
    return _indicator(candidates, "coastal", "coastal")


def airport_cargo(candidates: pd.DataFrame) -> pd.Series:
    """Airport cargo and mail throughput (万吨 = 10,000 t); missing figures stay missing.

    A benefit (air is the main mode of international express). The bundled table has a
    sourced figure only for the larger cargo airports; a place without one is NaN, and the
    ``nan_policy`` of :func:`score` decides what it counts as: the default ``"auto"``
    leaves the criterion out while fewer than half of the candidates have a figure
    (:func:`sparse_criteria`), ``"worst"`` gives the missing ones the smallest sourced
    figure. :func:`missing_values` lists the affected places.

    Parameters
    ----------
    candidates : DataFrame
        With an ``airport_cargo`` column (float, NaN where unknown).

    Returns
    -------
    pandas.Series
        万吨, NaN where unknown, indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> airport_cargo(pd.DataFrame({"airport_cargo": [380.0, float("nan")]})).tolist()
    [380.0, nan]
    """
    s = pd.to_numeric(_column(candidates, "airport_cargo", "airport_cargo"), errors="coerce")
    return pd.Series(
        s.to_numpy(dtype=float, na_value=np.nan),
        index=candidates.index.copy(),
        name="airport_cargo",
    )


def _cbec_batch(candidates: pd.DataFrame, fn: str) -> pd.Series:
    s = pd.to_numeric(_column(candidates, "cbec_batch", fn), errors="coerce")
    b = pd.Series(s.to_numpy(dtype=float, na_value=np.nan), index=candidates.index.copy())
    bad = b.notna() & ((b < 1) | (b != np.round(b)))
    if bad.any():
        raise DataError(
            f"{fn}: cbec_batch must be a batch number >= 1 or missing; bad rows "
            f"{list(b.index[bad][:5])}."
        )
    return b


def cbec_zone(candidates: pd.DataFrame) -> pd.Series:
    """1.0 if the place has a cross-border e-commerce comprehensive pilot zone, else 0.0.

    A benefit; read from the ``cbec_batch`` column (any batch counts).

    Parameters
    ----------
    candidates : DataFrame
        With a ``cbec_batch`` column (nullable integer, missing = no zone).

    Returns
    -------
    pandas.Series
        0.0 / 1.0 indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> cbec_zone(pd.DataFrame({"cbec_batch": pd.array([1, None, 5], dtype="Int64")})).tolist()
    [1.0, 0.0, 1.0]
    """
    b = _cbec_batch(candidates, "cbec_zone")
    return b.notna().astype(float).rename("cbec_zone")


def cbec_seniority(candidates: pd.DataFrame, batches: int = 8) -> pd.Series:
    """Seniority of the cross-border e-commerce pilot zone: earlier batches score higher.

    ``(batches + 1 - batch) / batches`` for a zone of batch ``1..batches`` (batch 1, 杭州
    2015, scores 1.0; batch 8 scores 1/8) and 0.0 without a zone. A benefit: an older zone
    has had longer to build customs, bonded-warehouse and platform capacity.

    Parameters
    ----------
    candidates : DataFrame
        With a ``cbec_batch`` column (nullable integer, missing = no zone).
    batches : int, default 8
        Number of batches approved so far.

    Returns
    -------
    pandas.Series
        Values in [0, 1] indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"cbec_batch": pd.array([1, None, 5], dtype="Int64")})
    >>> cbec_seniority(frame).tolist()
    [1.0, 0.0, 0.5]
    """
    b = _cbec_batch(candidates, "cbec_seniority")
    if (b > batches).any():
        raise DataError(
            f"cbec_seniority: batch numbers above batches={batches} in rows "
            f"{list(b.index[b > batches][:5])}; raise `batches`."
        )
    return ((batches + 1 - b) / batches).fillna(0.0).rename("cbec_seniority")


def express_volume(candidates: pd.DataFrame) -> pd.Series:
    """The place's own estimated express volume (亿件 = 10^8 items a year). A benefit.

    Parameters
    ----------
    candidates : DataFrame
        With an ``express_volume`` column.

    Returns
    -------
    pandas.Series
        亿件 indexed like ``candidates`` (NaN kept: :func:`score` reports it).

    Examples
    --------
    >>> import pandas as pd
    >>> express_volume(pd.DataFrame({"express_volume": [12.5]})).tolist()
    [12.5]
    """
    s = _column(candidates, "express_volume", "express_volume")
    return _as_float_series(s, candidates.index, "express_volume")


def population(candidates: pd.DataFrame) -> pd.Series:
    """Resident population (2020 census, persons). A benefit.

    Parameters
    ----------
    candidates : DataFrame
        With a ``population`` column.

    Returns
    -------
    pandas.Series
        Persons, indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> population(pd.DataFrame({"population": [21893095]})).tolist()
    [21893095.0]
    """
    s = _column(candidates, "population", "population")
    return _as_float_series(s, candidates.index, "population")


def _demand(demand: pd.DataFrame | None, column: str, fn: str) -> tuple[pd.DataFrame, np.ndarray]:
    if demand is None:
        from borderhub import datasets

        demand = datasets.prefectures()
    vol = _column(demand, column, fn)
    vals = pd.to_numeric(vol, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(vals) | (vals < 0)
    if bad.any():
        raise DataError(
            f"{fn}: demand column {column!r} has missing, infinite or negative values in rows "
            f"{list(demand.index[bad][:5])}; fill or drop those rows, or choose another column."
        )
    return demand, vals


def catchment_volume(
    candidates: pd.DataFrame,
    demand: pd.DataFrame | None = None,
    radius_km: float = 300.0,
    column: str = "express_volume",
) -> pd.Series:
    """Total demand within ``radius_km`` (geodesic) of each candidate. A benefit.

    ``A_j = sum_i V_i [d_ij <= radius_km]`` over the demand units *i* (the unit holding the
    candidate itself is included, its distance being near 0).

    Parameters
    ----------
    candidates : GeoDataFrame or DataFrame with ``lon``/``lat``
        The candidate places.
    demand : GeoDataFrame or DataFrame, optional
        Demand units; default :func:`borderhub.datasets.prefectures`.
    radius_km : float, default 300
        Catchment radius (300 km is about a half-day truck run).
    column : str, default "express_volume"
        Demand column to add up (e.g. ``"population"``).

    Returns
    -------
    pandas.Series
        In the unit of ``column`` (亿件 by default), indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> cands = pd.DataFrame({"lon": [121.47], "lat": [31.23]}, index=["上海"])
    >>> demand = pd.DataFrame({"lon": [121.47, 120.6, 116.4], "lat": [31.23, 31.3, 39.9],
    ...                        "express_volume": [30.0, 20.0, 25.0]})
    >>> catchment_volume(cands, demand, radius_km=200).tolist()
    [50.0]
    """
    radius_km = _real(radius_km, "radius_km")
    if not math.isfinite(radius_km) or radius_km <= 0:
        raise SpecificationError(f"radius_km must be a positive number, got {radius_km!r}.")
    demand, vals = _demand(demand, column, "catchment_volume")
    dist = distance_matrix(candidates, demand).to_numpy()
    return pd.Series(
        (dist <= radius_km) @ vals, index=candidates.index.copy(), name="catchment_volume"
    )


def gravity_access(
    candidates: pd.DataFrame,
    demand: pd.DataFrame | None = None,
    beta: float = 1.0,
    column: str = "express_volume",
    d0_km: float = 50.0,
) -> pd.Series:
    """Gravity (Hansen) accessibility of demand with power distance decay. A benefit.

    ``A_j = sum_i V_i min(1, d0 / d_ij)^beta``: a demand unit within ``d0_km`` counts in
    full, one farther away is discounted by ``(d0 / d)^beta``. The floor ``d0`` handles
    the candidate's own unit (distance near 0, which would otherwise dominate as
    ``d^-beta -> infinity``) and stands for the typical intra-prefecture haul; ``A_j`` is
    in the unit of ``column`` (volume-equivalents at ``d0``).

    Parameters
    ----------
    candidates : GeoDataFrame or DataFrame with ``lon``/``lat``
        The candidate places.
    demand : GeoDataFrame or DataFrame, optional
        Demand units; default :func:`borderhub.datasets.prefectures`.
    beta : float, default 1.0
        Distance-decay exponent (> 0; larger = more local).
    column : str, default "express_volume"
        Demand mass ``V_i``.
    d0_km : float, default 50
        Distance below which no decay applies (> 0).

    Returns
    -------
    pandas.Series
        Accessibility indexed like ``candidates``.

    References
    ----------
    Hansen, W. G. (1959). How accessibility shapes land use. *Journal of the American
    Institute of Planners* 25(2), 73--76.

    Examples
    --------
    >>> import pandas as pd
    >>> cands = pd.DataFrame({"lon": [121.47], "lat": [31.23]}, index=["上海"])
    >>> demand = pd.DataFrame({"lon": [121.47, 116.4], "lat": [31.23, 39.9],
    ...                        "express_volume": [30.0, 25.0]})
    >>> gravity_access(cands, demand).round(2).tolist()
    [31.17]
    """
    beta, d0_km = _real(beta, "beta"), _real(d0_km, "d0_km")
    if not math.isfinite(beta) or beta <= 0:
        raise SpecificationError(f"beta must be a positive number, got {beta!r}.")
    if not math.isfinite(d0_km) or d0_km <= 0:
        raise SpecificationError(f"d0_km must be a positive number, got {d0_km!r}.")
    demand, vals = _demand(demand, column, "gravity_access")
    dist = distance_matrix(candidates, demand).to_numpy()
    decay = np.minimum(1.0, d0_km / np.maximum(dist, 1e-9)) ** beta
    return pd.Series(decay @ vals, index=candidates.index.copy(), name="gravity_access")


def tier_score(candidates: pd.DataFrame, points: Mapping[str, float] | None = None) -> pd.Series:
    """Policy criterion: the best 专栏4 tier of each place, as points. A benefit.

    Default points (:data:`TIER_POINTS`), following the plan's wording: ``CORE`` 1.0
    (optimise and strengthen comprehensive centres), ``LONG_TERM`` and ``PROVINCIAL`` 0.75
    (build comprehensive centres), ``RAIL`` 0.5 (railway centres), ``ENCOURAGED`` and
    ``PORT`` 0.25 (encouraged to build). A place in several tiers takes the maximum; a
    place in none scores 0. Optional: including it makes the ranking partly restate the
    plan.

    Parameters
    ----------
    candidates : DataFrame
        With a ``tiers`` column of tier names joined by ``";"`` (e.g. ``"CORE;RAIL"``).
    points : mapping, optional
        ``{tier name: points}`` replacing the defaults (all tiers present in the data must
        be given).

    Returns
    -------
    pandas.Series
        Points indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> tier_score(pd.DataFrame({"tiers": ["CORE;RAIL", "ENCOURAGED", ""]})).tolist()
    [1.0, 0.25, 0.0]
    """
    pts = {
        k.upper(): _real(v, f"tier_score points[{k!r}]") for k, v in (points or TIER_POINTS).items()
    }
    from borderhub.policy import parse_tiers

    tiers = _column(candidates, "tiers", "tier_score")
    out = []
    for label, text in tiers.items():
        names = [t.name for t in sorted(parse_tiers(text, label=label))]
        unknown = [t for t in names if t not in pts]
        if unknown:
            raise DataError(
                f"tier_score: row {label!r} has tiers {unknown} without points; known: "
                f"{sorted(pts)}."
            )
        out.append(max((pts[t] for t in names), default=0.0))
    return pd.Series(out, index=candidates.index.copy(), name="tier_score", dtype=float)


# ----------------------------------------------------------------------------------------
# Defaults
# ----------------------------------------------------------------------------------------

_DEFAULT_WEIGHTS: dict[str, float] = {
    "rcep_proximity": 0.20,
    "border_port_distance": 0.10,
    "rail_hub": 0.05,
    "coastal": 0.10,
    "airport_cargo": 0.15,
    "cbec_seniority": 0.10,
    "express_volume": 0.20,
    "gravity_access": 0.10,
}


def default_weights() -> dict[str, float]:
    """Default weights of :func:`default_criteria` (they sum to 1).

    Returns
    -------
    dict
        ``{criterion name: weight}``.

    Examples
    --------
    >>> w = default_weights()
    >>> round(sum(w.values()), 10), w["express_volume"]
    (1.0, 0.2)
    """
    return dict(_DEFAULT_WEIGHTS)


def default_criteria() -> list[Criterion]:
    """The criteria and weights the command line scores with.

    ==========================  =========  ======  ==========================================
    criterion                   direction  weight  measure
    ==========================  =========  ======  ==========================================
    ``rcep_proximity``          cost       0.20    mean geodesic km to the hubs of the other
                                                   14 RCEP states (each hub weighs the same)
    ``border_port_distance``    cost       0.10    km to the nearest land border port
    ``rail_hub``                benefit    0.05    China–Europe Railway Express hub (0/1)
    ``coastal``                 benefit    0.10    coastal place (0/1)
    ``airport_cargo``           benefit    0.15    airport cargo 万吨 (unknown = NaN)
    ``cbec_seniority``          benefit    0.10    CBEC pilot-zone seniority (0..1)
    ``express_volume``          benefit    0.20    own express volume, 亿件
    ``gravity_access``          benefit    0.10    gravity access to prefecture express
                                                   volume (beta 1, d0 50 km)
    ==========================  =========  ======  ==========================================

    Location (RCEP, border) 0.30, gateways (rail, sea, air, e-commerce zone) 0.40, volume
    0.30. The weights travel on the criteria, so ``score(candidates, default_criteria())``
    uses them; pass ``weights=`` to override. Distance criteria read the bundled
    partners, border ports and prefectures. :func:`tier_score` is not included (it would
    restate the plan); add it to test the plan's tiers against the data.

    Returns
    -------
    list of Criterion
        A fresh list; each criterion carries its direction, weight, description and unit.

    Examples
    --------
    >>> [(c.name, c.direction, c.weight) for c in default_criteria()][:2]
    [('rcep_proximity', 'cost', 0.2), ('border_port_distance', 'cost', 0.1)]
    """
    w = _DEFAULT_WEIGHTS
    return [
        Criterion(
            "rcep_proximity",
            rcep_proximity,
            "cost",
            w["rcep_proximity"],
            "mean geodesic distance to the RCEP partner hubs",
            "km",
        ),
        Criterion(
            "border_port_distance",
            border_port_distance,
            "cost",
            w["border_port_distance"],
            "distance to the nearest land border port",
            "km",
        ),
        Criterion(
            "rail_hub",
            rail_hub,
            "benefit",
            w["rail_hub"],
            "China-Europe Railway Express assembly centre",
            "0/1",
        ),
        Criterion("coastal", coastal, "benefit", w["coastal"], "coastal place", "0/1"),
        Criterion(
            "airport_cargo",
            airport_cargo,
            "benefit",
            w["airport_cargo"],
            "airport cargo and mail throughput (unknown = NaN)",
            "万吨",
        ),
        Criterion(
            "cbec_seniority",
            cbec_seniority,
            "benefit",
            w["cbec_seniority"],
            "seniority of the cross-border e-commerce pilot zone",
            "0..1",
        ),
        Criterion(
            "express_volume",
            express_volume,
            "benefit",
            w["express_volume"],
            "own estimated express volume",
            "亿件",
        ),
        Criterion(
            "gravity_access",
            functools.partial(gravity_access, beta=1.0, d0_km=50.0),
            "benefit",
            w["gravity_access"],
            "gravity accessibility of prefecture express volume",
            "亿件",
        ),
    ]
